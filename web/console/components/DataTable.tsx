// The pieces every list page is made of: a toolbar with filters and a "new" button, a table that
// shows its query's rows (and its failure), server-side paging, and the row actions column.
import { useState, type ReactNode } from 'react';
import { Button, Popconfirm, Select, Space, Table, type TableColumnType, type TablePaginationConfig, type TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, type Query } from '../../shared/api';
import type { Page } from '../../shared/types';
import { QueryError } from './QueryError';

/** The parts of a query result a table needs. */
interface Loadable {
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

type DataTableProps<T> = Omit<TableProps<T>, 'dataSource'> & { query: Loadable; rows: T[] | undefined };

/** A table of a query's rows, with the query's error (and a retry) above it. */
export function DataTable<T extends object>({ query, rows, ...props }: DataTableProps<T>) {
  return (
    <>
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      <Table<T> loading={query.isFetching} {...props} dataSource={rows ?? []} />
    </>
  );
}

/**
 * One page of a server-side list (limit and offset) and the table's pagination for it. The page
 * goes back to the first whenever the filters change. Spread the result into a DataTable.
 */
export function usePagedList<T>(
  queryKey: readonly unknown[],
  path: string,
  filters: Query,
  opts: { refetchInterval?: number; sizeChanger?: boolean } = {},
): { query: ReturnType<typeof useQuery<Page<T>>>; rows: T[] | undefined; pagination: TablePaginationConfig } {
  const { t } = useTranslation();
  const filterKey = JSON.stringify(filters);
  const [paging, setPaging] = useState({ filterKey, page: 1, pageSize: 20 });
  const page = paging.filterKey === filterKey ? paging.page : 1;
  const { pageSize } = paging;
  const query = useQuery({
    queryKey: [...queryKey, { ...filters, page, pageSize }],
    queryFn: () => api.get<Page<T>>(path, { ...filters, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: opts.refetchInterval,
  });
  return {
    query,
    rows: query.data?.items,
    pagination: {
      current: page,
      pageSize,
      total: query.data?.total ?? 0,
      showSizeChanger: opts.sizeChanger,
      showTotal: (n) => t('console.c.total', { count: n }),
      onChange: (p, s) => setPaging({ filterKey, page: p, pageSize: s }),
    },
  };
}

/** Filters (or a note) on the left; the primary "new …" button on the right when there is one. */
export function Toolbar({ children, create }: { children?: ReactNode; create?: { label: string; onClick: () => void; testId?: string } | false }) {
  return (
    <div className="toolbar">
      <Space wrap>{children}</Space>
      {create && (
        <Button type="primary" icon={<PlusOutlined />} onClick={create.onClick} data-testid={create.testId}>
          {create.label}
        </Button>
      )}
    </div>
  );
}

/** A clearable select narrowing a list, for the toolbar. */
export function FilterSelect<V extends string>(props: {
  placeholder: string;
  value: V | undefined;
  onChange: (v: V | undefined) => void;
  options: { value: V; label: string }[];
  width: number;
  testId?: string;
}) {
  return (
    <Select<V>
      allowClear
      placeholder={props.placeholder}
      value={props.value}
      onChange={(v) => props.onChange(v ?? undefined)}
      style={{ width: props.width }}
      options={props.options}
      popupMatchSelectWidth={false}
      data-testid={props.testId}
    />
  );
}

/** A small link-style button for a table row. */
export function RowButton({ onClick, danger, icon, children }: { onClick?: () => void; danger?: boolean; icon?: ReactNode; children: ReactNode }) {
  return (
    <Button size="small" type="link" danger={danger} icon={icon} onClick={onClick}>
      {children}
    </Button>
  );
}

/** A row action that asks first: revoke, disable, cancel. */
export function ConfirmRowButton({ title, onConfirm, dangerOk = true, children }: { title: string; onConfirm: () => void; dangerOk?: boolean; children: ReactNode }) {
  return (
    <Popconfirm title={title} onConfirm={onConfirm} okButtonProps={dangerOk ? { danger: true } : undefined}>
      <RowButton danger>{children}</RowButton>
    </Popconfirm>
  );
}

/** The "actions" column pinned at the right, or no column at all when `show` is false. */
export function actionsColumn<T>(t: TFunction, render: (row: T) => ReactNode, opts: { width?: number; show?: boolean } = {}): TableColumnType<T>[] {
  if (opts.show === false) return [];
  return [{ title: t('console.c.actions'), key: 'actions', width: opts.width ?? 90, fixed: 'right', render: (_: unknown, row: T) => render(row) }];
}
