/**
 * The MIQE checklist of report.json (`miqe`, issue 14 item 6): the checklist items, each filled from the study and
 * its plates where the run knows the answer (status `auto`) or listed to report by hand (status `by hand`). Built by
 * src/engine/study/miqe.ts; shown collapsed in the results panel and report.html as one table.
 */
import { cell, type DataTable } from './format';

export interface MiqeItem {
  /** Checklist section (Sample, qPCR validation, Data analysis ...). */
  section: string;
  item: string;
  /** E (essential) or D (desirable), as in the MIQE 2009 checklist. */
  importance: 'E' | 'D';
  status: 'auto' | 'by hand';
  /** What the run filled in (absent for items to report by hand). */
  value?: string;
}

export interface MiqeSection {
  /** Which checklist the items follow (and where their names come from). */
  basis: string;
  items: MiqeItem[];
  /** Counts of items filled automatically and to report by hand. */
  auto: number;
  byHand: number;
}

export function miqeTable(m: MiqeSection): DataTable {
  return {
    id: 'miqe',
    title: `MIQE checklist: ${m.auto} items filled from the study and plates, ${m.byHand} to report by hand`,
    columns: ['Section', 'Item', 'E/D', 'Status', 'Value'],
    rows: m.items.map((i) => [cell.text(i.section), cell.text(i.item), cell.text(i.importance), cell.text(i.status === 'auto' ? 'filled' : 'to report by hand'), cell.text(i.value ?? '')]),
    note: m.basis,
  };
}
