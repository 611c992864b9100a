import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The build lands in dist/app, which frontend/embed.go embeds into the papi binary.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    // The server's CSP forbids inline scripts and styles: keep everything in files.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
