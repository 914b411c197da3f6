// The little of PouchDB 9 the anchor benchmark uses. @types/pouchdb-* are
// not installed: they add DOM types and their own global Buffer, which
// break the project's Node types.
declare module 'pouchdb-node' {
  interface FindResponse {
    docs: object[];
  }
  class PouchDB {
    static plugin(plugin: unknown): void;
    constructor(path: string);
    bulkDocs(docs: object[]): Promise<unknown[]>;
    createIndex(options: { index: { fields: string[] } }): Promise<unknown>;
    find(request: { selector: Record<string, unknown>; limit?: number }): Promise<FindResponse>;
    close(): Promise<void>;
  }
  export default PouchDB;
}

declare module 'pouchdb-find' {
  const plugin: unknown;
  export default plugin;
}
