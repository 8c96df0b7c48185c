import type { Folio, JobListItem } from '@folio/sdk';

export interface JobsTableActions {
  open(jobId: string): void;
  error(err: unknown): void;
}

/** The jobs list: newest first, cursor-paged with "Load more", with cancel and delete. */
export class JobsTable {
  private cursor: string | null = null;

  constructor(
    private readonly client: () => Folio,
    private readonly body: HTMLTableSectionElement,
    private readonly more: HTMLButtonElement,
    private readonly actions: JobsTableActions,
  ) {
    more.addEventListener('click', () => void this.load(false));
  }

  async load(fresh = true): Promise<void> {
    try {
      const page = await this.client().job.getAll({ limit: 15, exclude_configs: true, cursor: fresh ? undefined : this.cursor ?? undefined });
      if (fresh) this.body.replaceChildren();
      for (const job of page.jobs) this.body.append(this.row(job));
      this.cursor = page.next_cursor ?? null;
      this.more.hidden = !this.cursor;
    } catch (err) {
      this.actions.error(err);
    }
  }

  private row(job: JobListItem): HTMLTableRowElement {
    const tr = document.createElement('tr');
    const cell = (text: string, className = '') => {
      const td = document.createElement('td');
      td.textContent = text;
      td.className = className;
      tr.append(td);
      return td;
    };
    cell(job.job_id.slice(0, 8), 'id').addEventListener('click', () => this.actions.open(job.job_id));
    cell(job.type);
    cell(job.status, `status-${job.status}`);
    cell(job.total_pages === null ? '–' : String(job.total_pages));
    cell(new Date(job.created_at).toLocaleTimeString());
    const actions = cell('', 'actions');
    if (!['Completed', 'Failed', 'Cancelled'].includes(job.status)) {
      actions.append(this.button('Cancel', '', () => this.client().job.cancel(job.job_id)));
    }
    actions.append(this.button('Delete', 'danger', () => this.client().job.delete(job.job_id)));
    return tr;
  }

  private button(label: string, className: string, act: () => Promise<unknown>): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `small ${className}`;
    button.textContent = label;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await act();
        await this.load();
      } catch (err) {
        this.actions.error(err);
        button.disabled = false;
      }
    });
    return button;
  }
}
