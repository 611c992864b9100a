import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// assetList writes assets.json, every file of the build the app may load, so the service worker
// keeps the screens that load on demand as well as the first one (see public/sw.js).
function assetList(): Plugin {
  return {
    name: 'papi-asset-list',
    apply: 'build',
    generateBundle(_, bundle) {
      const files = Object.keys(bundle).filter((f) => f.startsWith('assets/')).sort().map((f) => `/${f}`)
      this.emitFile({ type: 'asset', fileName: 'assets.json', source: JSON.stringify(files) })
    },
  }
}

// The build lands in dist/app, which frontend/embed.go embeds into the papi binary.
export default defineConfig({
  plugins: [vue(), assetList()],
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
