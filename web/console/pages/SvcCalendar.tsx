// The working-day calendar every time limit is counted in: a year of holidays and make-up working days
// (editable with calendar.manage), and a deadline calculator asking the server's own working-day count.
import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import { CalculatorOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { shanghaiToday } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { ConfirmRowButton, RowButton, actionsColumn } from '../components/DataTable';
import { useCan, useLocale, useNotify, useSave } from '../hooks';
import type { CalendarEntry } from '../svc/types';

type DeadlineAnswer = ResponseOf<'/api/public/calendar/deadline'>;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** Day of the week of a calendar date, 0 = Sunday (computed in UTC, so no time zone can shift it). */
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function Month({ year, month, entries, onPick, canEdit }: { year: number; month: number; entries: Map<string, CalendarEntry>; onPick: (date: string) => void; canEdit: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const first = weekday(ymd(year, month, 1));
  const lead = (first + 6) % 7; // weeks start on Monday
  const cells: (string | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: daysIn(year, month) }, (_, i) => ymd(year, month, i + 1))];
  const heads = locale === 'en' ? ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] : ['一', '二', '三', '四', '五', '六', '日'];
  const today = shanghaiToday();
  return (
    <div className="cal-month">
      <div className="cal-month-title">{locale === 'en' ? dayjs(ymd(year, month, 1)).locale('en').format('MMMM') : `${month} 月`}</div>
      <div className="cal-grid">
        {heads.map((h) => (
          <div key={h} className="cal-head">
            {h}
          </div>
        ))}
        {cells.map((d, i) => {
          if (!d) return <div key={`e${i}`} />;
          const e = entries.get(d);
          const wd = weekday(d);
          const cls = ['cal-day', e ? `cal-${e.kind}` : wd === 0 || wd === 6 ? 'cal-weekend' : '', d === today ? 'cal-today' : '', canEdit ? 'cal-clickable' : ''].join(' ');
          const title = e ? `${d} ${e.name}（${t(`console.svc.calendar.${e.kind}`)}）` : d;
          return (
            <div key={d} className={cls} title={title} onClick={canEdit ? () => onPick(d) : undefined} data-testid={`cal-${d}`} data-kind={e?.kind ?? ''}>
              {Number(d.slice(8))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

interface EntryValues {
  date: Dayjs;
  kind: 'holiday' | 'workday';
  name: string;
}

function DeadlineCalculator() {
  const { t } = useTranslation();
  const [from, setFrom] = useState<Dayjs>(dayjs(shanghaiToday()));
  const [days, setDays] = useState<number>(20);
  const [ask, setAsk] = useState<{ from: string; days: number } | null>(null);
  const result = useQuery({
    queryKey: ['calendar', 'deadline', ask],
    queryFn: () => api.get<DeadlineAnswer>('/api/public/calendar/deadline', { from: ask!.from, days: ask!.days }),
    enabled: !!ask,
  });
  const locale = useLocale();
  const weekdayName = (d: string) => new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  return (
    <Card variant="borderless" className="section-card" title={<Space><CalculatorOutlined />{t('console.svc.calendar.calculator')}</Space>}>
      <Space wrap align="end">
        <div>
          <div className="mini-label">{t('console.svc.calendar.from')}</div>
          <span data-testid="calc-from">
            <DatePicker value={from} onChange={(d) => d && setFrom(d)} allowClear={false} />
          </span>
        </div>
        <div>
          <div className="mini-label">{t('console.svc.calendar.days')}</div>
          <span data-testid="calc-days">
            <InputNumber min={0} max={3650} precision={0} value={days} onChange={(n) => setDays(n ?? 0)} />
          </span>
        </div>
        <Button type="primary" onClick={() => setAsk({ from: from.format('YYYY-MM-DD'), days })} loading={result.isFetching} data-testid="calc-run">
          {t('console.svc.calendar.compute')}
        </Button>
      </Space>
      <QueryError error={result.error} onRetry={() => void result.refetch()} />
      {result.data && (
        <Alert
          className="calc-result"
          type="success"
          showIcon
          title={<span data-testid="calc-due">{t('console.svc.calendar.dueResult', { due: result.data.due, weekday: weekdayName(result.data.due) })}</span>}
          description={
            <>
              {t('console.svc.calendar.calcNote')}
              {!result.data.fromIsWorkingDay && <div>{t('console.svc.calendar.fromNotWorking')}</div>}
            </>
          }
        />
      )}
      {!result.data && <Typography.Paragraph type="secondary" className="calc-result">{t('console.svc.calendar.calcNote')}</Typography.Paragraph>}
    </Card>
  );
}

export default function SvcCalendar() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const canEdit = can('calendar.manage');
  const [year, setYear] = useState(Number(shanghaiToday().slice(0, 4)));
  const [editing, setEditing] = useState<{ date: string | null } | null>(null);
  const [form] = Form.useForm<EntryValues>();
  const cal = useQuery({ queryKey: ['calendar', year], queryFn: () => api.get<ResponseOf<'/api/public/calendar'>>('/api/public/calendar', { year }) });
  const entries = new Map((cal.data?.items ?? []).map((e) => [e.date, e]));

  const save = useSave((v: EntryValues) => api.put<CalendarEntry>('/api/calendar/days', { date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name.trim() }), {
    refresh: 'calendar',
    ok: (r) => t('console.svc.calendar.saved', { date: r.date }),
    then: () => setEditing(null),
  });
  const remove = useSave((date: string) => api.del(`/api/calendar/days/${date}`), { refresh: 'calendar', ok: (_, d) => t('console.svc.calendar.removed', { date: d }), then: () => setEditing(null) });

  const open = (date: string | null) => {
    const e = date ? entries.get(date) : undefined;
    form.setFieldsValue({ date: date ? dayjs(date) : undefined, kind: e?.kind ?? (date && [0, 6].includes(weekday(date)) ? 'workday' : 'holiday'), name: e?.name ?? '' });
    setEditing({ date });
  };
  const editingEntry = editing?.date ? entries.get(editing.date) : undefined;

  return (
    <div className="page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <DeadlineCalculator />
        </Col>
        <Col xs={24} xl={14}>
          <Card
            variant="borderless"
            className="section-card"
            title={t('console.svc.calendar.list', { year })}
            extra={
              canEdit && (
                <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="cal-add">
                  {t('console.svc.calendar.add')}
                </Button>
              )
            }
          >
            <Table<CalendarEntry>
              size="small"
              rowKey="date"
              loading={cal.isFetching}
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
              dataSource={cal.data?.items ?? []}
              data-testid="cal-table"
              columns={[
                { title: t('console.svc.calendar.date'), dataIndex: 'date', width: 110 },
                { title: t('console.svc.calendar.kindLabel'), dataIndex: 'kind', width: 100, render: (k: CalendarEntry['kind']) => <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(`console.svc.calendar.${k}`)}</Tag> },
                { title: t('console.svc.calendar.name'), dataIndex: 'name' },
                ...actionsColumn<CalendarEntry>(
                  t,
                  (e) => (
                    <Space size={0}>
                      <RowButton onClick={() => open(e.date)}>{t('console.svc.c.edit')}</RowButton>
                      <ConfirmRowButton title={t('console.svc.calendar.removeConfirm')} onConfirm={() => remove.mutate(e.date)}>
                        {t('console.svc.c.remove')}
                      </ConfirmRowButton>
                    </Space>
                  ),
                  { width: 120, show: canEdit },
                ),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <div className="section-card-gap" />
      <Card
        variant="borderless"
        className="section-card"
        title={
          <Space>
            <Button size="small" icon={<LeftOutlined />} onClick={() => setYear(year - 1)} aria-label="previous year" />
            <span data-testid="cal-year">{year}</span>
            <Button size="small" icon={<RightOutlined />} onClick={() => setYear(year + 1)} aria-label="next year" />
          </Space>
        }
        extra={
          <Space wrap>
            <span className="cal-legend cal-holiday">{t('console.svc.calendar.holiday')}</span>
            <span className="cal-legend cal-workday">{t('console.svc.calendar.workday')}</span>
            <span className="cal-legend cal-weekend">{t('console.svc.calendar.weekend')}</span>
          </Space>
        }
      >
        <QueryError error={cal.error} onRetry={() => void cal.refetch()} />
        {cal.data && cal.data.items.length === 0 && <Alert type="warning" showIcon title={t('console.svc.calendar.noEntries', { year })} className="editor-alert" />}
        {canEdit && <Typography.Paragraph type="secondary">{t('console.svc.calendar.clickHint')}</Typography.Paragraph>}
        <div className="cal-year">
          {Array.from({ length: 12 }, (_, i) => (
            <Month key={i} year={year} month={i + 1} entries={entries} onPick={open} canEdit={canEdit} />
          ))}
        </div>
      </Card>
      <Modal
        open={!!editing}
        title={editing?.date ? t('console.svc.calendar.editTitle', { date: editing.date }) : t('console.svc.calendar.addTitle')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'cal-save' } as Record<string, string>}
        footer={(node) => (
          <Space>
            {editingEntry && (
              <Button danger loading={remove.isPending} onClick={() => remove.mutate(editingEntry.date)} data-testid="cal-remove">
                {t('console.svc.c.remove')}
              </Button>
            )}
            {node}
          </Space>
        )}
        forceRender
      >
        <Form<EntryValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} onFinishFailed={() => notify.fail(new Error(t('console.svc.editor.validationFailed')))}>
          <Form.Item name="date" label={t('console.svc.calendar.date')} rules={[{ required: true }]}>
            <DatePicker disabled={!!editing?.date} className="full-width" />
          </Form.Item>
          <Form.Item name="kind" label={t('console.svc.calendar.kindLabel')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'holiday', label: t('console.svc.calendar.holiday') },
                { value: 'workday', label: t('console.svc.calendar.workday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t('console.svc.calendar.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input placeholder={t('console.svc.calendar.namePlaceholder')} data-testid="cal-name" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
