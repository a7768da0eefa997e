// 亲友代办: ask a relative for their authorisation to act for them, see the authorisations given and
// received, confirm or decline a request, revoke one.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { formatDate } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useMe } from '../shared/session';
import { serverFieldErrors } from './DynamicForm';
import { Empty, ErrorBox, Loading, Panel, Shell } from './shell';
import { useProxyGrants, useSearch, type ProxyGrant } from './svc';

const RELATIONS = ['子女', '配偶', '父母', '兄弟姐妹', '孙子女', '其他亲属'];

function defaultExpiry(): string {
  const d = new Date(Date.now() + 365 * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function RequestForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [principal, setPrincipal] = useState('');
  const [relation, setRelation] = useState(RELATIONS[0]);
  const [expires, setExpires] = useState(defaultExpiry);
  const [scope, setScope] = useState<'all' | 'items'>('all');
  const [itemIds, setItemIds] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const elders = useSearch({ zone: 'elders', limit: 30 }, scope === 'items');
  const popular = useSearch({ applicant: 'person', limit: 20 }, scope === 'items');
  const choices = [...(elders.data?.items ?? []), ...(popular.data?.items ?? [])].filter((i, n, all) => all.findIndex((x) => x.id === i.id) === n);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setOk('');
    if (!principal.trim()) return setError(t('hall.proxy.principalRequired'));
    if (scope === 'items' && !itemIds.length) return setError(t('hall.proxy.itemsRequired'));
    setBusy(true);
    try {
      await api.post('/api/proxy/requests', {
        principal: principal.trim(),
        relation,
        expiresAt: new Date(`${expires}T23:59:59+08:00`).toISOString(),
        ...(scope === 'items' ? { itemIds } : {}),
      });
      setOk(t('hall.proxy.requested'));
      setPrincipal('');
      onDone();
    } catch (err) {
      const { fields, other } = serverFieldErrors(err);
      setError([...Object.values(fields), ...other].join('；') || errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <p className="muted small">{t('hall.proxy.requestHint')}</p>
      <div className="field">
        <label htmlFor="proxy-principal">{t('hall.proxy.principal')}</label>
        <input id="proxy-principal" value={principal} onChange={(e) => setPrincipal(e.target.value)} autoComplete="off" aria-describedby="proxy-principal-hint" data-testid="proxy-principal" />
        <p id="proxy-principal-hint" className="field-hint">
          {t('hall.proxy.principalHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="proxy-relation">{t('hall.proxy.relation')}</label>
        <select id="proxy-relation" value={relation} onChange={(e) => setRelation(e.target.value)}>
          {RELATIONS.map((r) => (
            <option key={r} value={r}>
              {t(`hall.relation.${r}`, { defaultValue: r })}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t('hall.proxy.scope')}</legend>
        <label className="check">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          <span>{t('hall.proxy.scopeAll')}</span>
        </label>
        <label className="check">
          <input type="radio" name="scope" checked={scope === 'items'} onChange={() => setScope('items')} />
          <span>{t('hall.proxy.scopeItems')}</span>
        </label>
        {scope === 'items' && (
          <div className="scope-items">
            {choices.map((i) => (
              <label key={i.id} className="check">
                <input type="checkbox" checked={itemIds.includes(i.id)} onChange={(e) => setItemIds((old) => (e.target.checked ? [...old, i.id] : old.filter((x) => x !== i.id)))} />
                <span>{i.name}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="proxy-expires">{t('hall.proxy.expires')}</label>
        <input id="proxy-expires" type="date" value={expires} min={new Date().toISOString().slice(0, 10)} onChange={(e) => setExpires(e.target.value)} />
      </div>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {ok && (
        <p className="note" role="status" data-testid="proxy-requested">
          {ok}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="proxy-submit">
        {t('hall.proxy.send')}
      </button>
    </form>
  );
}

function GrantRow({ g, mine, onDone }: { g: ProxyGrant; mine: 'given' | 'received'; onDone: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [error, setError] = useState<unknown>(null);
  const act = async (d: 'confirm' | 'decline' | 'revoke') => {
    setError(null);
    try {
      await api.post(`/api/proxy/grants/${g.id}/${d}`);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const other = mine === 'given' ? (g.agentName ?? t('hall.proxy.someRelative')) : (g.principalName ?? t('hall.proxy.someone'));
  return (
    <li className="grant" data-testid={`grant-${mine}`}>
      <div className="row-main">
        <strong>{mine === 'given' ? t('hall.proxy.givenTo', { name: other, relation: g.relation }) : t('hall.proxy.receivedFrom', { name: other, relation: g.relation })}</strong>
        <span className="muted small">
          {g.scope === 'all' ? t('hall.proxy.scopeAll') : t('hall.proxy.scopeCount', { count: g.itemIds?.length ?? 0 })} · {t('hall.proxy.until', { date: formatDate(g.expiresAt, locale) })}
        </span>
      </div>
      <span className={`state-badge tone-${g.status === 'active' ? 'green' : g.status === 'pending' ? 'orange' : 'grey'}`} data-testid="grant-status">
        {t(`hall.proxy.status.${g.status}`, { defaultValue: g.status })}
      </span>
      <div className="grant-actions">
        {mine === 'given' && g.status === 'pending' && (
          <>
            <button type="button" className="btn btn-primary btn-small" onClick={() => void act('confirm')} data-testid="grant-confirm">
              {t('hall.proxy.confirm')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void act('decline')}>
              {t('hall.proxy.decline')}
            </button>
          </>
        )}
        {(g.status === 'active' || (g.status === 'pending' && mine === 'received')) && (
          <button type="button" className="btn btn-text btn-small" onClick={() => void act('revoke')}>
            {t('hall.proxy.revoke')}
          </button>
        )}
        {mine === 'received' && g.status === 'active' && (
          <Link to="/search" className="link small">
            {t('hall.proxy.applyNow')}
          </Link>
        )}
      </div>
      {error != null && (
        <p className="field-error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
    </li>
  );
}

export function Proxy() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const grants = useProxyGrants(true);
  const myId = me.data?.user.id;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['proxy'] });
    void qc.invalidateQueries({ queryKey: ['notifications'] });
  };
  const given = grants.data?.items.filter((g) => g.principalId === myId) ?? [];
  const received = grants.data?.items.filter((g) => g.agentId === myId) ?? [];
  return (
    <Shell title={t('hall.proxy.title')}>
      <p className="muted">{t('hall.proxy.intro')}</p>
      {grants.isPending && <Loading />}
      {grants.isError && <ErrorBox error={grants.error} retry={() => void grants.refetch()} />}
      <Panel title={t('hall.proxy.given')} testId="grants-given">
        {given.length === 0 ? (
          <Empty>{t('hall.proxy.noneGiven')}</Empty>
        ) : (
          <ul className="grant-list">
            {given.map((g) => (
              <GrantRow key={g.id} g={g} mine="given" onDone={refresh} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t('hall.proxy.received')} testId="grants-received">
        {received.length === 0 ? (
          <Empty>{t('hall.proxy.noneReceived')}</Empty>
        ) : (
          <ul className="grant-list">
            {received.map((g) => (
              <GrantRow key={g.id} g={g} mine="received" onDone={refresh} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t('hall.proxy.request')}>
        <RequestForm onDone={refresh} />
      </Panel>
    </Shell>
  );
}
