// Exposes the public browser API to Playwright, as an app would import it.
import * as sdk from '../../src/index.js';

declare global {
  interface Window { sdk: typeof sdk; sdkReady: boolean }
}
window.sdk = sdk;
window.sdkReady = true;
