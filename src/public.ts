/** What every entry (browser, Node) exports besides its recognizer: the contract, the REST client, the offline store. */
export * from './contract/index.js';
// Platform REST client (docs/platform-client.md).
export * from './platform/index.js';
// Offline-first scan store and outbox sync (docs/offline.md).
export * from './store/index.js';
