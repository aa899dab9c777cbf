// Disjoint sets of strings (union-find with path compression): the flow's merged builds and a change's flow region.

/** Sets of strings; an element never united is its own set. The root of a union is the smaller string, so roots are deterministic. */
export class DisjointSets {
  private readonly parent = new Map<string, string>();

  /** The root of `x`'s set. */
  find(x: string): string {
    let r = x;
    while ((this.parent.get(r) ?? r) !== r) r = this.parent.get(r) ?? r;
    if (r !== x) this.parent.set(x, r);
    return r;
  }

  /** Joins the sets of `a` and `b`. */
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) {
      if (!this.parent.has(ra)) this.parent.set(ra, ra);
      return;
    }
    const [root, child] = rb < ra ? [rb, ra] : [ra, rb];
    this.parent.set(child, root);
    if (!this.parent.has(root)) this.parent.set(root, root);
  }

  /** Whether `x` was ever passed to `union`. */
  has(x: string): boolean {
    return this.parent.has(x);
  }

  /** Every element ever passed to `union`. */
  elements(): IterableIterator<string> {
    return this.parent.keys();
  }
}
