/**
 * Encryption at rest for what the caller opts to keep (face images, embeddings): AES-GCM 256 under
 * a key generated on this device as non-extractable, so its bytes can never be read back by
 * script, only used through WebCrypto. The key lives in IndexedDB beside the data; wiping the
 * database destroys it.
 */
export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export function generateKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plain: Uint8Array): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain as Uint8Array<ArrayBuffer>);
  return { iv, data };
}

export async function open(key: CryptoKey, sealed: Sealed): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer> }, key, sealed.data));
}
