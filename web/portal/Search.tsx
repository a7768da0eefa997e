// Search and filtered browsing: the query lives in the address, so results can be shared and
// the back button works; the browse pages link here with their filter set.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useLocale } from '../shared/i18n';
import { formatNumber } from '../shared/format';
import { SearchBox, ItemCard } from './HallHome';
import { Empty, ErrorBox, Loading, Shell } from './shell';
import { APPLICANT_TYPES, MODES, useDepartments, useHalls, useSearch, useZones, type SearchParams } from './svc';

const PAGE = 10;
const SUGGESTIONS = ['公积金', '社保', '身份证', '户口', '营业执照', '医保', '居住证', '养老金'];

function FilterSelect({ name, label, value, options, onChange }: { name: string; label: string; value: string; options: { value: string; label: string }[]; onChange: (name: string, v: string) => void }) {
  const id = useId();
  const { t } = useTranslation();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(name, e.target.value)} data-testid={`filter-${name}`}>
        <option value="">{t('hall.search.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Search() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const filters = {
    department: params.get('department') ?? '',
    district: params.get('district') ?? '',
    zone: params.get('zone') ?? '',
    applicant: (params.get('applicant') ?? '') as NonNullable<SearchParams['applicant']>,
    mode: (params.get('mode') ?? '') as NonNullable<SearchParams['mode']>,
  };
  const res = useSearch({ q: q || undefined, ...filters, limit: PAGE, offset: (page - 1) * PAGE });
  const departments = useDepartments();
  const halls = useHalls();
  const zones = useZones();

  const setFilter = (name: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(name, v);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  };
  const goPage = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
    window.scrollTo(0, 0);
  };
  const active = Object.values(filters).some(Boolean);
  const total = res.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));

  return (
    <Shell title={q ? t('hall.search.titleFor', { q }) : t('hall.search.title')}>
      <SearchBox key={q} initial={q} autoFocus={!q} />
      <details className="filters card" open={active}>
        <summary>
          {t('hall.search.filters')}
          {active && <span className="muted small"> · {t('hall.search.filtersOn')}</span>}
        </summary>
        <div className="filter-grid">
          <FilterSelect name="department" label={t('hall.search.department')} value={filters.department} onChange={setFilter} options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))} />
          <FilterSelect name="district" label={t('hall.search.district')} value={filters.district} onChange={setFilter} options={(halls.data?.items ?? []).map((h) => ({ value: h.districtCode, label: h.name }))} />
          <FilterSelect name="zone" label={t('hall.search.zone')} value={filters.zone} onChange={setFilter} options={(zones.data?.items ?? []).map((z) => ({ value: z.code, label: locale === 'en' ? z.nameEn : z.name }))} />
          <FilterSelect name="applicant" label={t('hall.search.applicant')} value={filters.applicant} onChange={setFilter} options={APPLICANT_TYPES.map((a) => ({ value: a, label: t(`hall.applicant.${a}`) }))} />
          <FilterSelect name="mode" label={t('hall.search.mode')} value={filters.mode} onChange={setFilter} options={MODES.map((m) => ({ value: m, label: t(`hall.mode.${m}`) }))} />
        </div>
        {active && (
          <button type="button" className="btn btn-text" onClick={() => setParams(q ? { q } : {})}>
            {t('hall.search.clearFilters')}
          </button>
        )}
      </details>

      {res.data?.expanded && res.data.expanded.length > 0 && (
        <p className="note" data-testid="expanded-note">
          {res.data.expanded.map((e) => t('hall.search.expanded', { term: e.term, full: e.expansions.join(t('hall.or')) })).join('；')}
        </p>
      )}
      {res.isPending && <Loading />}
      {res.isError && <ErrorBox error={res.error} retry={() => void res.refetch()} />}
      {res.data && (
        <section aria-label={t('hall.search.results')} aria-busy={res.isFetching}>
          <p className="muted small" role="status" data-testid="result-count">
            {t('hall.search.count', { count: total, n: formatNumber(total, locale) })}
          </p>
          {res.data.items.length === 0 ? (
            <Empty>
              <p>{q ? t('hall.search.none', { q }) : t('hall.search.noneFiltered')}</p>
              <p className="muted small">{t('hall.search.tryThese')}</p>
              <ul className="chip-row">
                {SUGGESTIONS.map((s) => (
                  <li key={s}>
                    <Link className="chip" to={`/search?q=${encodeURIComponent(s)}`}>
                      {s}
                    </Link>
                  </li>
                ))}
              </ul>
            </Empty>
          ) : (
            <div className="item-list" data-testid="results">
              {res.data.items.map((i) => (
                <ItemCard key={i.id} item={{ ...i, ownerName: i.owner?.name }} />
              ))}
            </div>
          )}
          {pages > 1 && (
            <nav className="pager" aria-label={t('hall.search.pages')}>
              <button type="button" className="btn btn-ghost" disabled={page <= 1} onClick={() => goPage(page - 1)}>
                {t('hall.search.prev')}
              </button>
              <span aria-current="page">
                {page} / {pages}
              </span>
              <button type="button" className="btn btn-ghost" disabled={page >= pages} onClick={() => goPage(page + 1)} data-testid="next-page">
                {t('hall.search.next')}
              </button>
            </nav>
          )}
        </section>
      )}
    </Shell>
  );
}
