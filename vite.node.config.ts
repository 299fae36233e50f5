import { defineConfig } from 'vite';

/** Node build of the same pipeline: dist/node/{node,cli}.js, dependencies left external. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist/node',
    target: 'node20',
    emptyOutDir: true,
    rollupOptions: { input: { node: 'src/node.ts', cli: 'src/cli.ts' }, output: { format: 'es', entryFileNames: '[name].js' } },
  },
});
