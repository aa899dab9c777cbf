// JSON pointers (RFC 6901) built one step at a time while walking a document.

/** The pointer of member `key` or element `index` under `parent` (`~` → `~0`, `/` → `~1`). */
export function childPointer(parent: string, key: string | number): string {
  return `${parent}/${typeof key === 'number' ? key : key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** How a pointer is shown to a person: the document root is the empty pointer, shown as `(document)`. */
export function shownPointer(pointer: string): string {
  return pointer === '' ? '(document)' : pointer;
}
