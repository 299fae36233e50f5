/**
 * A stoppable server for a built app: `vite preview` of an existing build (startE2E's outDir) on a
 * fixed port, so the app can really go away (stop) and come back on the same origin (start) — the
 * service worker, IndexedDB and Cache Storage are per origin. Used to prove an offline reload works.
 */
import { preview, type PreviewServer } from 'vite';

export interface AppServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function serveBuild(outDir: string): Promise<AppServer> {
  const listen = (port: number) => preview({ logLevel: 'warn', build: { outDir }, preview: { port, strictPort: port !== 0 } });
  let server: PreviewServer | undefined = await listen(0);
  const url = server.resolvedUrls!.local[0];
  const port = Number(new URL(url).port);
  return {
    url,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      server ??= await listen(port);
    },
  };
}
