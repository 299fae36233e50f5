/**
 * A consumer's TypeScript, compiled by test/package/consumers.test.ts against the installed
 * package's dist/*.d.ts with the strictest flags (and by the repo's tsc against src/). Every type a
 * caller needs to pass an option or implement an exported interface must be importable.
 */
import {
  createFaceRecognizer, CompareResultSchema,
  type CompareOptions, type CompareResult, type Face, type FaceRecognizer, type ImageInput, type LoadProgress,
  type RecognizerOptions, type BackendInfo, type CompareDetails, FaceError, isFaceError, type FaceErrorCode,
} from 'face-compare-sdk';
import { createFaceRecognizer as createNodeRecognizer, type NodeFaceRecognizer, type NodeImageInput } from 'face-compare-sdk/node';
import {
  createPlatformClient, createPkceAuth, memoryStorage, springPagination,
  type CallOptions, type CompareFaceOptions, type KeyValueStorage, type PageRequest, type PaginationAdapter,
  type PlatformClientOptions, type RawPage, type RetryEvent, type TokenProvider, type TokenSet, type ScanEntity,
} from 'face-compare-sdk/platform';
import { openScanStore, createScanSync, type ScanStore, type ScanStoreOptions, type SyncStatus } from 'face-compare-sdk/store';
import { FaceSchema, RecognizerOptionsSchema, type StageTimings } from 'face-compare-sdk/schema';

// `Channel` was removed (docs/package.md, What changed): the option's own type is the one to name.
type Channel = NonNullable<CompareOptions['channel']>;

// Options, with a progress callback.
const progress: LoadProgress[] = [];
const options: RecognizerOptions = { backend: 'wasm', numThreads: 2, assetBaseUrl: '/sdk/', onProgress: (e) => progress.push(e) };
RecognizerOptionsSchema.parse(options);
const compareOptions: CompareOptions = { channel: 'MOBILE' satisfies Channel, reference: 'r', threshold: 0.7 };

export async function browserFlow(a: ImageInput, b: ImageInput): Promise<number> {
  const fr: FaceRecognizer = await createFaceRecognizer(options);
  const scan: CompareResult = await fr.compareFaces(a, b, compareOptions);
  const details: CompareDetails = await fr.compare(a, b);
  const t: StageTimings = details.timings;
  const faces: Face[] = await fr.analyze(a);
  const first = faces[0]; // noUncheckedIndexedAccess: Face | undefined
  const info: BackendInfo = fr.info();
  await fr.dispose();
  return CompareResultSchema.parse(scan).compare_similarity + (first ? FaceSchema.parse(first).face_quality : 0) + t.embed + info.threads;
}

export async function nodeFlow(a: NodeImageInput): Promise<string> {
  const fr: NodeFaceRecognizer = await createNodeRecognizer({ numThreads: 1 });
  try {
    return (await fr.compareFaces(a, a)).compare_result;
  } catch (e) {
    if (isFaceError(e)) {
      const code: FaceErrorCode = e.code;
      return code;
    }
    throw e instanceof FaceError ? e : new Error(String(e));
  }
}

// Implementing the exported interfaces.
class SessionStorageLike implements KeyValueStorage {
  private readonly m = new Map<string, string>();
  getItem(key: string): string | null { return this.m.get(key) ?? null; }
  setItem(key: string, value: string): void { this.m.set(key, value); }
  removeItem(key: string): void { this.m.delete(key); }
}

const offsetPagination: PaginationAdapter = {
  toQuery(req: PageRequest) {
    return [['offset', String(req.page * req.size)], ['limit', String(req.size)]];
  },
  fromResponse(body: unknown, req: PageRequest): RawPage {
    const b = body as { rows: unknown[]; more: boolean };
    return { items: b.rows, page: req.page, size: req.size, hasNext: b.more };
  },
};

const tokens: TokenProvider = { getAccessToken: () => 'token' };
const retries: RetryEvent[] = [];
const clientOptions: PlatformClientOptions = { baseUrl: 'https://platform.example', auth: tokens, pagination: offsetPagination, onRetry: (e) => retries.push(e) };

export async function platformFlow(img: Blob): Promise<void> {
  const client = createPlatformClient(clientOptions);
  const call: CallOptions = { timeoutMs: 5000 };
  const compare: CompareFaceOptions = { ...call, channel: 'WEB', reference: 'x' };
  const remote = await client.compareFaceRemote(img, img, compare);
  const entity: ScanEntity = await client.getScan(remote.id, call);
  void entity;
  const auth = createPkceAuth({ issuer: 'https://id.example', clientId: 'app', redirectUri: 'https://app.example/cb', storage: new SessionStorageLike() });
  const t: TokenSet | undefined = undefined;
  void [auth, t, memoryStorage(), springPagination];
}

export async function storeFlow(scan: CompareResult): Promise<SyncStatus> {
  const storeOptions: ScanStoreOptions = { name: 'app', maxScans: 100 };
  const store: ScanStore = await openScanStore(storeOptions);
  await store.save(scan);
  const sync = createScanSync({ store, client: createPlatformClient(clientOptions) });
  return sync.status();
}
