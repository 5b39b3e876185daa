import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@yardstick/model': pkg('model'),
      '@yardstick/language': pkg('language'),
      '@yardstick/language-service': pkg('language-service'),
      '@yardstick/engine/node': fileURLToPath(new URL('./packages/engine/src/node/index.ts', import.meta.url)),
      '@yardstick/engine': pkg('engine'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
