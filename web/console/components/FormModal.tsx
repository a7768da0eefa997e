import type { ReactNode } from 'react';
import { Form, Modal, type FormInstance } from 'antd';

interface Props<V> {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  onClose: () => void;
  /** The mutation OK runs with the form's values. */
  save: { mutate: (values: V) => void; isPending: boolean };
  width?: number;
  initialValues?: Partial<V>;
  okTestId?: string;
  children: ReactNode;
}

/** A dialog holding one vertical form: OK submits it, and it starts afresh each time it opens. */
export function FormModal<V>({ open, title, form, onClose, save, width, initialValues, okTestId, children }: Props<V>) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={width}
      okButtonProps={okTestId ? ({ 'data-testid': okTestId } as Record<string, string>) : undefined}
    >
      <Form<V> form={form} layout="vertical" preserve={false} initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
        {children}
      </Form>
    </Modal>
  );
}
