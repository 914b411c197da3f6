import type { ForeignBook } from './book.js';
import type { ForeignContext } from './connector.js';
import { urlUuid } from './ids.js';

/** The local side as a connector sees it, over one foreign replica's bookkeeping. */
export class BookContext implements ForeignContext {
  readonly notices: string[] = [];
  private readonly noticed = new Set<string>();

  constructor(
    private readonly book: ForeignBook,
    private readonly recordBase: string,
  ) {}

  /** A remote record's pseudo-replica: changesets from it carry this uuid as their origin. */
  originOf(path: string): string {
    return urlUuid(this.recordBase + path);
  }

  uuidOf(path: string): string {
    return this.book.mappedUuid(path) ?? this.originOf(path);
  }

  pathOf(uuid: string): string | undefined {
    return this.book.pathOf(uuid);
  }

  mark(path: string): number {
    return this.book.local.mergeTicket(this.originOf(path));
  }

  isOurs(path: string, seq: number): boolean {
    return this.book.isOurs(this.originOf(path), seq);
  }

  remoteValue(uuid: string, prop: string): string | null | undefined {
    const held = this.book.head(uuid, prop);
    // The record is known remotely but this property never was: the remote has none.
    if (!held) return this.book.head(uuid, '') ? null : undefined;
    return this.book.local.heads(uuid, prop).find((h) => h.id === held)?.value;
  }

  notice(line: string): void {
    if (this.noticed.has(line)) return;
    this.noticed.add(line);
    this.notices.push(line);
  }
}
