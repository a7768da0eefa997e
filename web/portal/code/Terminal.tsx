// The scanning terminal page (/code/terminal): set up once with the terminal's API key (kept on the
// device), then scan with the camera or paste the code text. Online it asks the scan API; when the network
// is down it verifies in the browser with the same library and the last trust lists it cached, and says so.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import jsQR from 'jsqr';
import { TrustStore, verifyCityCode, type Reason, type TrustSource } from '../../../src/lib/verifier';
import { applyPolicy } from '../../../src/modules/code/citycode/policies';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { useLocale } from '../../shared/i18n';
import { LanguageToggle } from '../LanguageToggle';

const KEY_STORE = 'dq.code.terminal.key';
const INFO_STORE = 'dq.code.terminal.info';
const TRUST_STORE = 'dq.code.terminal.trust';
const SEEN_STORE = 'dq.code.terminal.seen';
const TRUST_REFRESH_MS = 10 * 60_000;

/** What the terminal's own key may know: itself, its scenario's policy, the clock skew and the platform. */
type TerminalInfo = ResponseOf<'/api/code/terminal'>;
interface CachedTrust {
  items: TrustSource[];
  graceSeconds: number;
  fetchedAt: string;
}
interface Verdict {
  decision: 'pass' | 'refuse';
  reason: Reason | 'network' | 'unauthorized';
  message: string;
  subject: Record<string, string>;
  issuer: string | null;
  kid: string | null;
  trustList: string | null;
  warnings: string[];
  mode: 'online' | 'offline';
  at: string;
}

function load<T>(key: string): T | null {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}
const save = (key: string, v: unknown) => localStorage.setItem(key, JSON.stringify(v));

/** One-time ids this terminal has seen (for offline replays), pruned when their codes are long expired. */
function rememberCti(cti: string, exp: number): boolean {
  const seen = load<Record<string, number>>(SEEN_STORE) ?? {};
  const now = Date.now() / 1000;
  for (const [k, e] of Object.entries(seen)) if (e < now - 3600) delete seen[k];
  const was = cti in seen;
  seen[cti] = exp;
  save(SEEN_STORE, seen);
  return was;
}

class Unauthorized extends Error {}

async function call<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  // No cookies: the terminal speaks only with its own key, whoever is signed in on this browser.
  const res = await fetch(path, {
    method,
    credentials: 'omit',
    headers: { accept: 'application/json', 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401 || res.status === 403) throw new Unauthorized(String(res.status));
  if (!res.ok) throw new Error(`${res.status} ${await res.text().catch(() => '')}`.slice(0, 300));
  return (await res.json()) as T;
}

export function TerminalPage() {
  const { t } = useTranslation();
  const [key, setKey] = useState<string | null>(() => load<string>(KEY_STORE));
  const [info, setInfo] = useState<TerminalInfo | null>(() => load<TerminalInfo>(INFO_STORE));
  const [trust, setTrust] = useState<CachedTrust | null>(() => load<CachedTrust>(TRUST_STORE));
  const [setupError, setSetupError] = useState('');

  const refreshTrust = useCallback(async (k: string) => {
    const r = await call<ResponseOf<'/api/trust/sources'>>(k, 'GET', '/api/trust/sources');
    const cached = { items: r.items, graceSeconds: r.graceSeconds, fetchedAt: new Date().toISOString() };
    save(TRUST_STORE, cached);
    setTrust(cached);
  }, []);

  // Keep the trust lists fresh while online; offline the last ones stay in use.
  useEffect(() => {
    if (!key) return;
    const go = () => {
      void call<TerminalInfo>(key, 'GET', '/api/code/terminal')
        .then((i) => {
          save(INFO_STORE, i);
          setInfo(i);
        })
        .catch(() => undefined);
      void refreshTrust(key).catch(() => undefined);
    };
    go();
    const id = setInterval(go, TRUST_REFRESH_MS);
    return () => clearInterval(id);
  }, [key, refreshTrust]);

  const setup = async (k: string) => {
    setSetupError('');
    try {
      const i = await call<TerminalInfo>(k, 'GET', '/api/code/terminal');
      save(KEY_STORE, k);
      save(INFO_STORE, i);
      setInfo(i);
      setKey(k);
    } catch (e) {
      setSetupError(e instanceof Unauthorized ? t('code.reason.unauthorized') : String((e as Error).message));
    }
  };
  const forget = () => {
    for (const k of [KEY_STORE, INFO_STORE, TRUST_STORE, SEEN_STORE]) localStorage.removeItem(k);
    setKey(null);
    setInfo(null);
    setTrust(null);
  };

  return (
    <div className="terminal-page">
      <div className="terminal-bar">
        <div>
          <strong>{t('code.terminal.title')}</strong>
          {info && (
            <div className="terminal-note" data-testid="terminal-name">
              {t('code.terminal.placeLine', { name: info.terminal.name, place: info.terminal.place })} · {t(`code.scenario.${info.terminal.scenario}`, { defaultValue: info.terminal.scenario })}
            </div>
          )}
        </div>
        <LanguageToggle />
      </div>
      <main className="terminal-main">
        {!key ? <Setup onSave={(k) => void setup(k)} error={setupError} /> : <Scanner apiKey={key} info={info} trust={trust} onRefreshTrust={() => void refreshTrust(key).catch(() => undefined)} onForget={forget} />}
      </main>
    </div>
  );
}

function Setup({ onSave, error }: { onSave: (key: string) => void; error: string }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  return (
    <form
      className="terminal-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onSave(value.trim());
      }}
    >
      <h2>{t('code.terminal.setupTitle')}</h2>
      <p className="terminal-note">{t('code.terminal.setupHint')}</p>
      <label htmlFor="terminal-key">{t('code.terminal.key')}</label>
      <input id="terminal-key" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} placeholder="dqk_…" data-testid="terminal-key" />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="terminal-row">
        <button type="submit" className="btn btn-primary" data-testid="terminal-save">
          {t('code.terminal.save')}
        </button>
      </div>
    </form>
  );
}

function Scanner({ apiKey, info, trust, onRefreshTrust, onForget }: { apiKey: string; info: TerminalInfo | null; trust: CachedTrust | null; onRefreshTrust: () => void; onForget: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [text, setText] = useState('');
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState(false);
  const [cameraError, setCameraError] = useState('');
  const videoRef = useRef<HTMLVideoElement>(null);
  const lastRead = useRef<{ data: string; at: number } | null>(null);

  /** The same verification as the server, in the browser, with the cached trust lists (no frozen state offline). */
  const verifyOffline = useCallback(
    async (payload: string): Promise<Verdict> => {
      const at = new Date();
      const base = { subject: {}, issuer: null, kid: null, trustList: null, mode: 'offline' as const, at: at.toISOString() };
      if (!trust) return { ...base, decision: 'refuse', reason: 'network', message: t('code.terminal.offlineNoTrust'), warnings: [] };
      const store = new TrustStore(trust.items, { at, graceSeconds: trust.graceSeconds });
      const d = await verifyCityCode(payload, { trust: store, at, skewSeconds: info?.skewSeconds ?? 300, seen: (cti, exp) => rememberCti(cti, exp) });
      const warnings = [...d.warnings];
      let reason: Verdict['reason'] = d.reason;
      let message = d.message;
      let subject: Record<string, string> = {};
      if (d.valid && d.claims && info) {
        const c = d.claims;
        warnings.push('offline: the frozen state and the details only the server holds were not checked');
        const facts = { pseudonym: c.sub, health: c.health, cards: Object.fromEntries(c.cards.map((x) => [x.kind, x.ref])) };
        // Fields only the server knows (names, ID number, meal account) cannot be required offline.
        const serverOnly = ['name', 'nameMasked', 'idNumberMasked', 'mealAccount'];
        const applied = applyPolicy({ discloses: info.policy.discloses, requires: info.policy.requires.filter((f) => !serverOnly.includes(f)) }, facts);
        if ((info.policy.refuseHealth as string[]).includes(c.health)) {
          reason = 'scenario-not-allowed';
          message = `health status ${c.health} is refused here`;
        } else if (applied.missing.length) {
          reason = 'scenario-not-allowed';
          message = `needs ${applied.missing.join(', ')}`;
        } else subject = applied.subject;
      }
      return { ...base, decision: reason === 'ok' ? 'pass' : 'refuse', reason, message, subject, issuer: d.issuer ?? null, kid: d.kid ?? null, trustList: d.trustList ?? null, warnings };
    },
    [trust, info, t],
  );

  const verify = useCallback(
    async (payload: string) => {
      const p = payload.trim();
      if (!p) return;
      setBusy(true);
      try {
        let v: Verdict;
        try {
          const r = await call<Omit<Verdict, 'mode'>>(apiKey, 'POST', '/api/code/scan', { payload: p });
          v = { ...r, mode: 'online' };
          // Remember the one-time id locally too, so the same code is a replay if the network drops later.
          if (trust) {
            const at = new Date();
            await verifyCityCode(p, { trust: new TrustStore(trust.items, { at, graceSeconds: trust.graceSeconds }), at, seen: (cti, exp) => (rememberCti(cti, exp), false) }).catch(() => undefined);
          }
        } catch (e) {
          if (e instanceof Unauthorized) v = { decision: 'refuse', reason: 'unauthorized', message: '', subject: {}, issuer: null, kid: null, trustList: null, warnings: [], mode: 'online', at: new Date().toISOString() };
          else if (e instanceof TypeError) v = await verifyOffline(p); // fetch failed: no network
          else throw e;
        }
        setVerdict(v);
      } catch (e) {
        setVerdict({ decision: 'refuse', reason: 'network', message: String((e as Error).message), subject: {}, issuer: null, kid: null, trustList: null, warnings: [], mode: 'online', at: new Date().toISOString() });
      } finally {
        setBusy(false);
      }
    },
    [apiKey, trust, verifyOffline],
  );

  // Camera: read frames into a canvas and look for a QR code; the same code is not read twice in a row.
  useEffect(() => {
    if (!camera) return;
    let stream: MediaStream | null = null;
    let raf = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const tick = () => {
      const video = videoRef.current;
      if (stopped || !video || !ctx) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        const last = lastRead.current;
        if (found?.data && !(last && last.data === found.data && Date.now() - last.at < 4000)) {
          lastRead.current = { data: found.data, at: Date.now() };
          void verify(found.data);
        }
      }
      raf = requestAnimationFrame(tick);
    };
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        if (videoRef.current) {
          videoRef.current.srcObject = s;
          void videoRef.current.play();
        }
        raf = requestAnimationFrame(tick);
      })
      .catch(() => {
        setCameraError(t('code.terminal.cameraError'));
        setCamera(false);
      });
    if (!navigator.mediaDevices) {
      setCameraError(t('code.terminal.cameraError'));
      setCamera(false);
    }
    return () => {
      stopped = true;
      cancelAnimationFrame(raf);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [camera, verify, t]);

  // The box empties after each check, ready for the next code (a keyboard-wedge scanner types into it).
  const check = (value: string) => {
    setText('');
    void verify(value);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    check(text);
  };

  return (
    <>
      {verdict && <VerdictPanel v={verdict} />}
      <form className="terminal-panel" onSubmit={submit}>
        <label htmlFor="terminal-paste">{t('code.terminal.paste')}</label>
        <textarea
          id="terminal-paste"
          rows={3}
          value={text}
          placeholder={t('code.terminal.pastePlaceholder')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // A keyboard-wedge scanner types the code and presses Enter.
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              check(text);
            }
          }}
          data-testid="terminal-paste"
        />
        <div className="terminal-row">
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()} data-testid="terminal-verify">
            {t('code.terminal.verify')}
          </button>
          <button type="button" className="btn" onClick={() => setCamera((c) => !c)}>
            {camera ? t('code.terminal.stopCamera') : t('code.terminal.camera')}
          </button>
        </div>
        {cameraError && <p className="terminal-note">{cameraError}</p>}
        {camera && <video ref={videoRef} className="terminal-video" playsInline muted />}
      </form>
      <div className="terminal-panel terminal-note">
        <div data-testid="trust-cache">{trust ? t('code.terminal.trustCached', { n: trust.items.length, time: formatDateTime(trust.fetchedAt, locale) }) : t('code.terminal.trustNone')}</div>
        <div className="terminal-row">
          <button type="button" className="btn" onClick={onRefreshTrust}>
            {t('code.terminal.refreshTrust')}
          </button>
          <button type="button" className="btn" onClick={onForget}>
            {t('code.terminal.change')}
          </button>
        </div>
        {info?.terminal.keyPrefix && <div>{t('code.terminal.keyPrefix', { prefix: `dqk_${info.terminal.keyPrefix}` })}</div>}
      </div>
    </>
  );
}

function VerdictPanel({ v }: { v: Verdict }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const fields = Object.entries(v.subject);
  return (
    <section className={`verdict ${v.decision}`} data-testid="verdict" data-decision={v.decision} data-reason={v.reason} aria-live="assertive">
      <div className="verdict-word">{v.decision === 'pass' ? t('code.terminal.pass') : t('code.terminal.refuse')}</div>
      <div className="verdict-reason" data-testid="verdict-reason">
        {t(`code.reason.${v.reason}`, { defaultValue: v.reason })}
      </div>
      <div className={`verdict-mode ${v.mode}`} data-testid="verdict-mode">
        {v.mode === 'offline' ? t('code.terminal.offline') : t('code.terminal.online')} · {formatDateTime(v.at, locale)}
      </div>
      {v.decision === 'pass' && (
        <dl>
          {fields.length === 0 && <dd style={{ gridColumn: '1 / -1' }}>{t('code.terminal.noSubject')}</dd>}
          {fields.map(([k, val]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{t(`code.field.${k}`, { defaultValue: k })}</dt>
              <dd data-testid={`subject-${k}`}>{k === 'health' ? t(`code.health.${val}`, { defaultValue: val }) : val}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="tech">
        {v.issuer && (
          <div>
            {t('code.terminal.issuer')}: {v.issuer}
          </div>
        )}
        {v.kid && (
          <div>
            {t('code.terminal.kid')}: {v.kid} · {t('code.terminal.trustList')}: {v.trustList}
          </div>
        )}
        {v.message && <div>{v.message}</div>}
        {v.warnings.map((w) => (
          <div key={w}>⚠ {w}</div>
        ))}
      </div>
    </section>
  );
}
