// Exposes the public browser API to Playwright, imported by package name as an app would.
import * as sdk from 'face-compare-sdk';

declare global {
  interface Window { sdk: typeof sdk; sdkReady: boolean }
}
window.sdk = sdk;
window.sdkReady = true;
