/** An image ready for the pipeline: at most WORKING_MAX_SIDE, with the factor back to the caller's pixels. */
import { WORKING_MAX_SIDE } from '../contract/limits.js';
import { downscaleToFit, type RgbaImage } from './image.js';

/** An image ready for the pipeline plus the factor from its pixels back to the caller's. */
export interface PreparedImage {
  image: RgbaImage;
  /** Caller's (decoded, upright) pixels per working pixel (≥ 1 when the image was downscaled). */
  toSource: number;
  /**
   * The same picture at `detectContentSize(image)`, shrunk by a native scaler (the browser's
   * decoder makes it for large images): the detector reads it instead of warping `image` in JS.
   */
  detectImage?: RgbaImage;
}

/** `img` at working size; `toSource` is the factor its pixels already had to the caller's. */
export function prepareImage(img: RgbaImage, toSource = 1): PreparedImage {
  const { image, scale } = downscaleToFit(img, WORKING_MAX_SIDE);
  return { image, toSource: toSource / scale };
}
