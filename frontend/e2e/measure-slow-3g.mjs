// Measures the public board's first load on a phone over slow 3G (400 kbps, 300 ms, as the
// issue and Chrome's DevTools define it), with Chromium's own network emulation through CDP:
// a fresh papi on the demo, a fresh browser context per run (nothing cached, no service worker),
// from navigation to the first petition on screen. Prints each run and where its time went.
//
//   go build -o bin/papi ./cmd/papi && cd frontend && node e2e/measure-slow-3g.mjs [runs]
import { launchBrowser, startServer } from './harness.mjs'

const runs = Number(process.argv[2] || 5)
const server = await startServer()
const browser = await launchBrowser()
try {
  const communes = await (await fetch(`${server.url}/api/v1/public/communes?q=tan%20thoi`)).json()
  const board = `${server.url}/public/${communes.items[0].id}`
  const took = []
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'vi-VN', serviceWorkers: 'block' })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 })
    const started = Date.now()
    await page.goto(board)
    await page.locator('[data-board] article').first().waitFor({ timeout: 60000 })
    took.push(Date.now() - started)
    const parts = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0]
      const res = performance.getEntriesByType('resource').map((e) => `${new URL(e.name).pathname.replace(/\?.*/, '')} ${Math.round(e.startTime)}–${Math.round(e.responseEnd)} ms, ${e.transferSize} B`)
      return [`html 0–${Math.round(nav.responseEnd)} ms, ${nav.transferSize} B`, ...res]
    })
    console.log(`run ${i + 1}: ${took[i]} ms\n  ${parts.join('\n  ')}`)
    await context.close()
  }
  const sorted = [...took].sort((a, b) => a - b)
  console.log(`first load over slow 3G: median ${sorted[Math.floor(sorted.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms (${runs} runs)`)
} finally {
  await browser.close()
  await server.stop()
}
