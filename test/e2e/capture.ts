// The capture entry and the recognizer on window for the end-to-end tests, imported by package name.
import * as capture from 'face-compare-sdk/capture';
import * as sdk from 'face-compare-sdk';

declare global {
  interface Window { capture: typeof capture; sdk: typeof sdk; captureReady: boolean }
}
window.capture = capture;
window.sdk = sdk;
capture.defineFaceCapture();
window.captureReady = true;
