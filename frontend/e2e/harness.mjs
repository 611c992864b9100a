// What the browser tests stand on: a real papi server on a fresh SQLite database, and a real
// headless Chromium from Debian driven by playwright-core. Nothing here builds anything: `make
// test-frontend` builds the app and the binary first.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const root = resolve(here, '..')
export const binary = resolve(root, '..', 'bin', 'papi')
export const outDir = join(root, 'test-output')
export const chromiumPath = process.env.PAPI_CHROMIUM || '/usr/bin/chromium'

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]

const allViewports = [
  { name: 'tablet', width: 820, height: 1180, hasTouch: true },
  { name: 'desktop', width: 1440, height: 900, hasTouch: false },
  { name: 'phone', width: 390, height: 844, hasTouch: true, isMobile: true },
]
const chosen = process.env.PAPI_E2E_VIEWPORTS ? allViewports.filter((v) => process.env.PAPI_E2E_VIEWPORTS.split(',').includes(v.name)) : allViewports

/** storyViewports are the window sizes the full story (story.test.mjs), the homes and the
 * outbox run in: a tablet in portrait, an office PC and a phone (PAPI_E2E_VIEWPORTS=tablet,phone
 * picks some). */
export const storyViewports = chosen

/** viewports are the window sizes the other browser tests run in: the tablet and the office PC.
 * They test behaviour that a phone's layout does not change; the story, the homes and the
 * outbox cover the phone, and CI would take a third longer running them all on it too. */
export const viewports = chosen.filter((v) => v.name !== 'phone')

/** chromiumMissing explains why the browser tests cannot run here, or returns ''. In CI a missing
 * browser is a failure, not a skip. */
export function chromiumMissing() {
  if (existsSync(chromiumPath)) return ''
  const msg = `Chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium) to run the browser tests`
  if (process.env.CI === 'true') throw new Error(msg)
  return msg
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => res(port))
    })
  })
}

const running = new Set()
function killAll() {
  for (const p of running) {
    try {
      p.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll()
    process.exit(130)
  })
}

/** startServer seeds the demo into a fresh data directory and serves it on a free loopback port,
 * with extraEnv added to its environment. Links in its messages point at it (PAPI_PUBLIC_URL). */
export async function startServer(extraEnv = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`make test-frontend\` (or go build -o bin/papi ./cmd/papi) first`)
  const dataDir = mkdtempSync(join(tmpdir(), 'papi-e2e-'))
  const port = await freePort()
  const env = {
    ...process.env,
    PAPI_DATA_DIR: dataDir,
    PAPI_ADDR: `127.0.0.1:${port}`,
    PAPI_LOG_LEVEL: 'warn',
    PAPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...extraEnv,
  }
  delete env.PAPI_DATABASE_URL
  const seed = spawnSync(binary, ['seed', '--demo'], { env, encoding: 'utf8' })
  if (seed.status !== 0) throw new Error(`papi seed --demo failed: ${seed.stderr || seed.stdout}`)
  const url = `http://127.0.0.1:${port}`
  let log = ''
  let proc
  async function serve() {
    proc = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const p = proc
    running.add(p)
    p.stdout.on('data', (d) => (log += d))
    p.stderr.on('data', (d) => (log += d))
    p.on('exit', () => running.delete(p))
    const deadline = Date.now() + 20000
    for (;;) {
      if (p.exitCode !== null) throw new Error(`papi serve exited (${p.exitCode}):\n${log}`)
      try {
        const r = await fetch(`${url}/readyz`)
        if (r.ok) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        p.kill('SIGKILL')
        throw new Error(`papi serve did not become ready:\n${log}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  async function halt() {
    const p = proc
    if (p.exitCode === null) {
      const gone = new Promise((r) => p.once('exit', r))
      p.kill('SIGTERM')
      const timer = setTimeout(() => p.kill('SIGKILL'), 5000)
      await gone
      clearTimeout(timer)
    }
    running.delete(p)
  }
  await serve()
  return {
    url,
    log: () => log,
    /** halt stops the server and keeps its database, as a crash or a restart would. */
    halt,
    /** resume serves the same database on the same address again. */
    resume: serve,
    async stop() {
      await halt()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** launchBrowser starts headless Chromium. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
}

/** signIn opens a fresh browser context in the viewport vp (Vietnamese, in Vietnam's time zone,
 * service workers blocked unless opts.serviceWorkers is 'allow'), signs username in on server
 * with the demo password and waits for the first screen: a heading matching opts.waitFor
 * (commune staff's home or the dashboard by default; false waits for nothing). Its console watch
 * goes to opts.consoles when given, so a story can fail on any console error at the end. Other
 * options: password, path (the page to sign in from, /login), timeout (15 s), acceptDownloads,
 * bypassCSP (for axe, which is injected), beforeLogin(page). It answers { context, page, watch }. */
export async function signIn(browser, server, vp, username, opts = {}) {
  const {
    password = 'demo-password',
    consoles,
    serviceWorkers = 'block',
    acceptDownloads = false,
    bypassCSP = false,
    timeout = 15000,
    beforeLogin,
    path = '/login',
    waitFor = /Xin chào|Tổng hợp theo dõi/,
  } = opts
  const context = await browser.newContext({
    viewport: { width: vp.width, height: vp.height },
    hasTouch: vp.hasTouch,
    isMobile: !!vp.isMobile,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    serviceWorkers,
    acceptDownloads,
    bypassCSP,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(timeout)
  const watch = watchConsole(page, `${vp.name}/${username}`)
  consoles?.push(watch)
  if (beforeLogin) await beforeLogin(page)
  await page.goto(server.url + path)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  if (waitFor) await page.getByRole('heading', { name: waitFor }).waitFor()
  return { context, page, watch }
}

/** vnDay is the yyyy-mm-dd of Vietnam's calendar n days from now (negative: before). */
export function vnDay(n = 0) {
  return new Date(Date.now() + 7 * 3600000 + n * 86400000).toISOString().slice(0, 10)
}

/** watchConsole collects every console error and uncaught page error of a page. Expected
 * failures can be allowed for the span of one step with allow(). */
export function watchConsole(page, label) {
  const errors = []
  const allowed = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    if (allowed.some((re) => re.test(text))) return
    errors.push(`[${label}] console: ${text} (${msg.location()?.url ?? ''})`)
  })
  page.on('pageerror', (err) => errors.push(`[${label}] page error: ${err.message}`))
  return {
    errors,
    async allow(re, fn) {
      allowed.push(re)
      try {
        return await fn()
      } finally {
        allowed.splice(allowed.indexOf(re), 1)
      }
    },
  }
}

/** overflowing lists what sticks out past the right edge of the window (a page a phone would
 * scroll sideways), or nothing when the page fits its width. */
export function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth <= width) return []
    const out = []
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect()
      if (r.right <= width + 1 || r.width === 0) continue
      // Inside a box that scrolls sideways on its own (a wide table), sticking out is fine.
      let scroller = el.parentElement
      while (scroller && scroller !== document.body && getComputedStyle(scroller).overflowX === 'visible') scroller = scroller.parentElement
      if (scroller && scroller !== document.body) continue
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
      out.push(`${name} ends at ${Math.round(r.right)} px`)
      if (out.length === 5) break
    }
    return [`page ${document.documentElement.scrollWidth} px wide in a ${width} px window`, ...out]
  })
}

/** shot saves a full-page screenshot under test-output/. */
export async function shot(page, viewport, name) {
  mkdirSync(outDir, { recursive: true })
  await page.screenshot({ path: join(outDir, `${viewport}-${name}.png`), fullPage: true })
}

/** axeViolations runs axe-core on the page and lists its serious and critical violations. The
 * page's context needs bypassCSP, since the script is injected. */
export async function axeViolations(page) {
  const { createRequire } = await import('node:module')
  const axePath = createRequire(import.meta.url).resolve('axe-core')
  await page.addScriptTag({ path: axePath })
  return page.evaluate(async () =>
    (await window.axe.run()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  )
}

/** pageApi calls the API from a signed-in page, as its user: the CSRF token comes from
 * /auth/me, the body is JSON. It answers the status and the decoded reply. */
export function pageApi(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/auth/me')).json()
      const r = await fetch('/api/v1' + path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: r.status, body: await r.json() }
    },
    { method, path, body },
  )
}
