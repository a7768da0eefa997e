// Browsing the catalogue: by department, by district sub-hall, by themed zone (the elders' zone
// has its own page) and by life event with its "one thing" bundles.
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLocale } from '../shared/i18n';
import { ItemCard } from './HallHome';
import { ElderSwitch, Empty, ErrorBox, Loading, Panel, Shell } from './shell';
import { useBundles, useDepartments, useHalls, useSearch, useZones, type Zone } from './svc';

export function BrowseIndex() {
  const { t } = useTranslation();
  const entries = [
    { to: '/departments', label: t('hall.browse.departments'), hint: t('hall.browse.departmentsHint') },
    { to: '/halls', label: t('hall.browse.halls'), hint: t('hall.browse.hallsHint') },
    { to: '/zones', label: t('hall.browse.zones'), hint: t('hall.browse.zonesHint') },
    { to: '/life-events', label: t('hall.browse.lifeEvents'), hint: t('hall.browse.lifeEventsHint') },
  ];
  return (
    <Shell title={t('hall.nav.browse')}>
      <ul className="entry-grid">
        {entries.map((e) => (
          <li key={e.to}>
            <Link to={e.to} className="entry">
              <strong>{e.label}</strong>
              <span className="muted small">{e.hint}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Shell>
  );
}

export function Departments() {
  const { t } = useTranslation();
  const q = useDepartments();
  return (
    <Shell title={t('hall.browse.departments')} back="/browse">
      {q.isPending && <Loading />}
      {q.isError && <ErrorBox error={q.error} retry={() => void q.refetch()} />}
      <ul className="tile-list" data-testid="departments">
        {q.data?.items.map((d) => (
          <li key={d.code}>
            <Link className="tile" to={`/search?department=${encodeURIComponent(d.code)}`}>
              <strong>{d.name}</strong>
              <span className="muted small">{t('hall.browse.itemCount', { count: d.items })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Shell>
  );
}

export function Halls() {
  const { t } = useTranslation();
  const q = useHalls();
  return (
    <Shell title={t('hall.browse.halls')} back="/browse">
      {q.isPending && <Loading />}
      {q.isError && <ErrorBox error={q.error} retry={() => void q.refetch()} />}
      <ul className="tile-list" data-testid="halls">
        {q.data?.items.map((h) => (
          <li key={h.districtCode}>
            <Link className="tile" to={`/halls/${h.districtCode}`}>
              <strong>{h.name}</strong>
              <span className="muted small">{h.address}</span>
              <span className="muted small">{t('hall.browse.hallCounts', { own: h.ownItems, city: h.cityItems })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Shell>
  );
}

function ItemsOf({ filter, title }: { filter: { district?: string; zone?: string; department?: string }; title: string }) {
  const { t } = useTranslation();
  const q = useSearch({ ...filter, limit: 50 });
  return (
    <Panel title={title} testId="zone-items">
      {q.isPending && <Loading />}
      {q.isError && <ErrorBox error={q.error} retry={() => void q.refetch()} />}
      {q.data && q.data.items.length === 0 && <Empty>{t('hall.browse.noItems')}</Empty>}
      <div className="item-list">
        {q.data?.items.map((i) => (
          <ItemCard key={i.id} item={{ ...i, ownerName: i.owner?.name }} />
        ))}
      </div>
      {q.data && q.data.total > q.data.items.length && (
        <Link className="btn btn-ghost btn-block" to={`/search?${new URLSearchParams(filter as Record<string, string>).toString()}`}>
          {t('hall.browse.allItems', { count: q.data.total })}
        </Link>
      )}
    </Panel>
  );
}

export function HallPage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const halls = useHalls();
  const hall = halls.data?.items.find((h) => h.districtCode === code);
  return (
    <Shell title={hall?.name ?? t('hall.browse.halls')} back="/halls">
      {halls.isPending && <Loading />}
      {hall && (
        <p className="muted">
          {hall.address} · {t('hall.browse.hallCounts', { own: hall.ownItems, city: hall.cityItems })}
        </p>
      )}
      {halls.data && !hall && <Empty>{t('errors.notFound')}</Empty>}
      {hall && <ItemsOf filter={{ district: hall.districtCode }} title={t('hall.browse.hallItems')} />}
    </Shell>
  );
}

function ZoneList({ zones, category }: { zones: Zone[]; category: Zone['category'] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const list = zones.filter((z) => z.category === category);
  return (
    <Panel title={t(`hall.zoneCategory.${category}`)}>
      <ul className="tile-list tile-list-compact">
        {list.map((z) => (
          <li key={z.code}>
            <Link className={`tile${z.code === 'elders' ? ' tile-strong' : ''}`} to={category === 'life_event' ? `/life-events#${z.code}` : `/zones/${z.code}`}>
              <strong>{locale === 'en' ? z.nameEn : z.name}</strong>
              <span className="muted small">{t('hall.browse.itemCount', { count: z.items })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function Zones() {
  const { t } = useTranslation();
  const q = useZones();
  return (
    <Shell title={t('hall.browse.zones')} back="/browse">
      {q.isPending && <Loading />}
      {q.isError && <ErrorBox error={q.error} retry={() => void q.refetch()} />}
      {q.data && (
        <>
          <ZoneList zones={q.data.items} category="audience" />
          <ZoneList zones={q.data.items} category="topic" />
        </>
      )}
    </Shell>
  );
}

export function ZonePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { code } = useParams();
  const zones = useZones();
  const zone = zones.data?.items.find((z) => z.code === code);
  const name = zone ? (locale === 'en' ? zone.nameEn : zone.name) : t('hall.browse.zones');
  const elders = code === 'elders';
  return (
    <Shell title={name} back="/zones">
      {zones.isPending && <Loading />}
      {zones.data && !zone && <Empty>{t('errors.notFound')}</Empty>}
      {elders && (
        <Panel title={t('hall.elder.zoneTitle')} testId="elder-intro">
          <p>{t('hall.elder.zoneIntro')}</p>
          <ElderSwitch big />
          <ul className="plain-list">
            <li>{t('hall.elder.point1')}</li>
            <li>{t('hall.elder.point2')}</li>
            <li>
              {t('hall.elder.point3')} <Link to="/proxy">{t('hall.proxy.title')}</Link>
            </li>
          </ul>
        </Panel>
      )}
      {zone && <ItemsOf filter={{ zone: zone.code }} title={t('hall.browse.zoneItems')} />}
      {zone && zone.bundles.length > 0 && (
        <Panel title={t('hall.home.bundles')}>
          <ul className="bundle-list">
            {zone.bundles.map((b) => (
              <li key={b.code}>
                <Link className="bundle-card" to={`/bundles/${b.code}`}>
                  <strong>{b.name}</strong>
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </Shell>
  );
}

export function LifeEvents() {
  const { t } = useTranslation();
  const locale = useLocale();
  const zones = useZones();
  const bundles = useBundles();
  const events = zones.data?.items.filter((z) => z.category === 'life_event') ?? [];
  return (
    <Shell title={t('hall.browse.lifeEvents')} back="/browse">
      {zones.isPending && <Loading />}
      {zones.isError && <ErrorBox error={zones.error} retry={() => void zones.refetch()} />}
      {events.map((z) => {
        const own = bundles.data?.items.filter((b) => b.zone === z.code) ?? [];
        return (
          <div key={z.code} id={z.code}>
            <Panel title={locale === 'en' ? z.nameEn : z.name}>
              <p className="muted small">{t('hall.browse.itemCount', { count: z.items })}</p>
              {own.map((b) => (
                <Link key={b.code} to={`/bundles/${b.code}`} className="bundle-card">
                  <strong>{b.name}</strong>
                  <span className="muted small">{b.items.map((i) => i.name).join('、')}</span>
                </Link>
              ))}
              <Link to={`/zones/${z.code}`} className="link">
                {t('hall.browse.seeItems')}
              </Link>
            </Panel>
          </div>
        );
      })}
    </Shell>
  );
}
