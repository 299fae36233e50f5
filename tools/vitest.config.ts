import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tools reach the SDK only through its internal entry, resolved to the source here and in tsconfig.json.
  resolve: { alias: { 'face-compare-sdk/internal': fileURLToPath(new URL('../src/internal.ts', import.meta.url)) } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000, fileParallelism: false },
});
