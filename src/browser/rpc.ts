/**
 * Comlink wiring shared by the page and the worker. Comlink's default error transfer keeps only
 * message/name/stack (GoogleChromeLabs/comlink#594), so FaceError gets its own: code and details
 * survive the trip and callers can switch on `err.code`.
 */
import * as Comlink from 'comlink';
import { FaceError } from '../contract/errors.js';

type ThrowHandler = Comlink.TransferHandler<unknown, unknown>;
const original = Comlink.transferHandlers.get('throw') as ThrowHandler;

Comlink.transferHandlers.set('throw', {
  canHandle: original.canHandle,
  serialize(v: unknown) {
    const value = (v as { value: unknown }).value;
    if (value instanceof FaceError) return [{ faceError: value.toJSON() }, []];
    return original.serialize(v);
  },
  deserialize(s: unknown) {
    const fe = (s as { faceError?: ReturnType<FaceError['toJSON']> }).faceError;
    if (fe) throw FaceError.fromJSON(fe);
    return original.deserialize(s);
  },
} as ThrowHandler);

export { Comlink };
