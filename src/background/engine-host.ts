import type { ExportOptions, MatcherSnapshot, SnapshotChunk } from "../engine/judge/snapshot.js";
import type { Article, Report } from "../engine/types.js";
import type { IndexJournalEntry, IndexStore, Store } from "../store/types.js";

/** What the background needs of the engine (src/engine/engine.ts `Engine`). */
export interface EngineLike {
  add(article: Article): void;
  remove(id: string): void;
  clear(): void;
  analyze(query: Article): Promise<Report>;
  readonly size: number;
  /** True when the index holds this article (needed, with exportIndex, to persist the index). */
  has?(id: string): boolean;
  /** The index as binary chunks (Matcher.exportIndex); an engine without it is rebuilt on every start. */
  exportIndex?(options?: ExportOptions): MatcherSnapshot;
  /**
   * Record chunks not read yet, after a partial import (an engine with these two can start from
   * the index without its records: it reads the ones an analysis needs, the host the rest).
   */
  missingRecords?(): string[];
  supplyRecords?(chunks: readonly SnapshotChunk[]): void;
  /** True when an analysis reads the records it needs itself (then a cold start leaves them out). */
  readonly readsRecords?: boolean;
}

/** Prefix of the index chunks a cold start leaves out and reads afterwards (the records). */
const LAZY_PREFIX = "r/";
/** Record chunks read per transaction while the rest of the index is read in the background. */
const FILL_BATCH = 256;
/**
 * The background read of the records starts this long after a cold start (or at once when a
 * change needs them), so that it does not compete with the first answer's own reads.
 */
const FILL_DELAY_MS = 1000;

/**
 * Makes an engine: an empty one, or one over a persisted index — null when that index was written
 * by another index version (it is then rebuilt from the articles).
 */
export type MakeEngine = (snapshot?: MatcherSnapshot) => EngineLike | null;

export interface EngineHostOptions {
  /** Save the index this long after the last change (ms). */
  saveDelayMs?: number;
  /** …or at once after this many changes (an import). */
  saveEvery?: number;
  /** Articles read and indexed per step of a rebuild (the index is saved after each). */
  rebuildBatch?: number;
}

/** How the last load went (the bench and the e2e tests read it through the background's global). */
export interface EngineLoadStats {
  /** "imported": from the persisted index; "rebuilt": indexed from the articles; "read-all": no persisted index here. */
  mode: "imported" | "rebuilt" | "read-all";
  /** Whole load, ms (the store open included). */
  ms: number;
  /** Reading the index (meta, chunks, journal), ms. */
  readMs: number;
  /** Importing the chunks into an engine, ms. */
  importMs: number;
  /** Journal entries replayed over the imported index. */
  replayed: number;
  chunks: number;
  bytes: number;
  articles: number;
  /** False while a rebuild continues in the background (the engine answers from part of the store). */
  complete: boolean;
  /** Set when the imported index and the store disagreed on the article count (then rebuilt). */
  mismatch?: { index: number; store: number };
  /** Record chunks left out of the load and read afterwards (in the background or on demand). */
  deferred: number;
  /** When every deferred chunk had been read, ms after the load began (null until then). */
  filledMs: number | null;
}

type Persisted = EngineLike & Required<Pick<EngineLike, "has" | "exportIndex">>;

function persistable(e: EngineLike): e is Persisted {
  return typeof e.exportIndex === "function" && typeof e.has === "function";
}

/**
 * Holds the background's engine. A cold MV3 worker must answer its first message, so the engine
 * is loaded on first need and the loading promise is shared by concurrent messages.
 *
 * Where the store keeps a persisted index (IndexedDB), a cold start reads the index's chunks and
 * imports them — no article is read and no feature recomputed — then replays the journal of
 * article writes the saved index had not caught up with (a worker stopped before its debounced
 * save loses nothing). With no index, or one of another version, the index is rebuilt from the
 * articles in batches, saved after each batch, so a rebuild stopped half-way resumes where it was;
 * the engine answers after the first batch while the rest is indexed in the background.
 * Elsewhere (the memory and file stores, engines without exportIndex) every article is read and
 * indexed at each start.
 */
export class EngineHost {
  private loading: Promise<EngineLike> | null = null;
  /** A rebuild continuing in the background after the engine was handed out. */
  private rebuilding: Promise<void> | null = null;
  /** How the last load went. */
  lastLoad: EngineLoadStats | null = null;
  /** Generation of the index as last saved; null: the next save writes every chunk. */
  private savedGeneration: number | null = null;
  /** While a rebuild runs: the last article key already indexed (null: none yet). */
  private rebuildAfter: string | null = null;
  private changes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** Bumped by clear(): a save begun before it must not write the old index back. */
  private epoch = 0;
  private readonly saveDelayMs: number;
  private readonly saveEvery: number;
  private readonly rebuildBatch: number;

  constructor(
    private readonly store: Store,
    private readonly makeEngine: MakeEngine,
    options: EngineHostOptions = {},
  ) {
    this.saveDelayMs = options.saveDelayMs ?? 2000;
    this.saveEvery = options.saveEvery ?? 1000;
    this.rebuildBatch = options.rebuildBatch ?? 250;
  }

  get(): Promise<EngineLike> {
    if (!this.loading) {
      this.loading = this.load();
      // A failed load is retried on the next message instead of failing forever.
      this.loading.catch(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private async load(): Promise<EngineLike> {
    const t0 = performance.now();
    const stats: EngineLoadStats = {
      mode: "read-all",
      ms: 0,
      readMs: 0,
      importMs: 0,
      replayed: 0,
      chunks: 0,
      bytes: 0,
      articles: 0,
      complete: true,
      deferred: 0,
      filledMs: null,
    };
    const done = (engine: EngineLike): EngineLike => {
      stats.ms = performance.now() - t0;
      stats.articles = engine.size;
      this.lastLoad = stats;
      return engine;
    };
    const fresh = this.newEngine();
    const indexStore = this.store.indexStore;
    if (!indexStore || !persistable(fresh)) {
      for (const article of await this.store.all()) fresh.add(article);
      return done(fresh);
    }
    // Records (most of the bytes) are left out when both ends can read them later: the engine
    // answers after reading the rest, reading the records an analysis needs as it goes.
    const lazy =
      typeof indexStore.readChunks === "function" &&
      typeof fresh.supplyRecords === "function" &&
      fresh.readsRecords === true;
    const { index, journal, articles } = await indexStore.loadIndex(lazy ? LAZY_PREFIX : undefined);
    const t1 = performance.now();
    stats.readMs = t1 - t0;
    stats.chunks = index?.chunks.length ?? 0;
    stats.bytes = index?.chunks.reduce((n, c) => n + c.bytes.byteLength, 0) ?? 0;
    let engine: EngineLike | null = null;
    if (index) {
      try {
        engine = this.makeEngine({
          version: index.version,
          count: index.count,
          generation: index.generation,
          keys: index.keys,
          chunks: index.chunks,
          partial: lazy,
        });
      } catch {
        engine = null; // an unreadable index is rebuilt like one of another version
      }
    }
    stats.importMs = performance.now() - t1;
    let rebuilding = false;
    if (engine && persistable(engine)) {
      stats.mode = "imported";
      stats.replayed = journal.length;
      stats.deferred = engine.missingRecords?.().length ?? 0;
      this.savedGeneration = index!.generation;
      this.rebuildAfter = index!.rebuildAfter;
      rebuilding = index!.rebuildAfter !== null;
      // Replaying (or rebuilding) changes the index: every record first.
      if (journal.length || rebuilding) await this.whenFilled(engine);
      await this.replay(engine, journal);
      // The cheap consistency check: a complete index holds as many articles as the store. (It
      // does not only if articles were written without the journal, e.g. by hand: index afresh.)
      if (!rebuilding && articles !== null && engine.size !== articles) {
        stats.mismatch = { index: engine.size, store: articles };
        engine = null;
      }
    } else engine = null;
    if (engine) {
      // The records left out are read in the background; an analysis meanwhile reads the ones
      // it needs itself.
      const filled = (): void => {
        stats.filledMs = performance.now() - t0;
      };
      if (engine.missingRecords?.().length) {
        this.fillDone = filled;
        const later = engine;
        const epoch = this.epoch;
        setTimeout(() => {
          if (!this.filling && epoch === this.epoch) this.startFill(later, indexStore, epoch);
        }, FILL_DELAY_MS);
      } else filled();
    }
    if (!engine) {
      // No index yet, one of another version, or one that disagrees with the store: index every
      // stored article afresh.
      engine = fresh;
      stats.mode = "rebuilt";
      this.savedGeneration = null;
      this.rebuildAfter = null;
      rebuilding = true;
    }
    if (rebuilding) {
      // The first batch before answering; the rest in the background, answering meanwhile from
      // what is indexed so far (a large store takes minutes to index from its texts).
      const more = await this.rebuildStep(engine as Persisted, indexStore, this.epoch);
      if (more) {
        stats.complete = false;
        const rest = this.rebuild(engine as Persisted, indexStore).finally(() => {
          if (this.rebuilding === rest) this.rebuilding = null;
        });
        this.rebuilding = rest;
        rest.catch(() => undefined); // resumed at the next start
      }
    }
    return done(engine);
  }

  private newEngine(): EngineLike {
    const engine = this.makeEngine();
    if (!engine) throw new Error("makeEngine() gave no engine");
    return engine;
  }

  /** The background read of the records a partial load left out (null: none running). */
  private filling: Promise<void> | null = null;
  /** Called once every record is read (the load's account of when). */
  private fillDone: (() => void) | null = null;

  private startFill(engine: EngineLike, indexStore: IndexStore, epoch: number): void {
    const run = async (): Promise<void> => {
      for (;;) {
        const keys = engine.missingRecords?.() ?? [];
        if (!keys.length) {
          this.fillDone?.();
          this.fillDone = null;
          return;
        }
        if (epoch !== this.epoch) return; // cleared: the engine was emptied
        const chunks = await indexStore.readChunks!(keys.slice(0, FILL_BATCH));
        if (epoch !== this.epoch) return;
        engine.supplyRecords!(chunks);
      }
    };
    const p = run().finally(() => {
      if (this.filling === p) this.filling = null;
    });
    this.filling = p;
    p.catch(() => undefined); // read again by the next whenFilled()
  }

  /**
   * Resolves when the engine holds every record (before any change to the index: adding,
   * removing and saving need them all). A failed background read is started again here.
   */
  private async whenFilled(engine: EngineLike): Promise<void> {
    const indexStore = this.store.indexStore;
    while (indexStore && (engine.missingRecords?.().length ?? 0) > 0) {
      if (!this.filling) this.startFill(engine, indexStore, this.epoch);
      await this.filling;
    }
    // Analyses may have read the last ones themselves.
    this.fillDone?.();
    this.fillDone = null;
  }

  /** Applies the article writes the saved index does not reflect yet (the last write per id wins). */
  private async replay(engine: Persisted, journal: IndexJournalEntry[]): Promise<void> {
    if (!journal.length) return;
    const last = new Map<string, IndexJournalEntry["op"]>();
    for (const e of journal) last.set(e.id, e.op);
    const puts: string[] = [];
    // During a rebuild the articles after its position are read by the rebuild itself.
    const after = this.rebuildAfter;
    for (const [id, op] of last) {
      if (op === "delete") engine.remove(id);
      else if (!engine.has(id) && (after === null || id <= after)) puts.push(id);
    }
    const found = this.store.getMany
      ? await this.store.getMany(puts)
      : await Promise.all(puts.map((id) => this.store.get(id)));
    found.forEach((article, i) => {
      if (article) engine.add(article);
      else engine.remove(puts[i]!);
    });
    this.changed(journal.length);
  }

  /** Indexes the stored articles after `rebuildAfter` in batches, saving the index after each. */
  private async rebuild(engine: Persisted, indexStore: IndexStore): Promise<void> {
    const epoch = this.epoch;
    while (await this.rebuildStep(engine, indexStore, epoch));
  }

  /** One batch of a rebuild; true when more articles remain. */
  private async rebuildStep(engine: Persisted, indexStore: IndexStore, epoch: number): Promise<boolean> {
    const batch = await indexStore.articlesAfter(this.rebuildAfter, this.rebuildBatch);
    if (epoch !== this.epoch) return false; // the store was cleared meanwhile
    for (const article of batch) engine.add(article);
    const done = batch.length < this.rebuildBatch;
    this.rebuildAfter = done ? null : batch[batch.length - 1]!.id;
    await this.save(engine, epoch);
    return !done && epoch === this.epoch;
  }

  /** Resolves once the engine is loaded and any rebuild running in the background is complete. */
  async ready(): Promise<void> {
    const engine = await this.get();
    await this.rebuilding;
    await this.whenFilled(engine);
  }

  /** Writes the changed chunks of the index and drops the journal entries it now reflects. */
  private save(engine: Persisted, epoch = this.epoch): Promise<void> {
    const indexStore = this.store.indexStore;
    if (!indexStore) return Promise.resolve();
    const run = async (): Promise<void> => {
      await this.whenFilled(engine);
      const journal = await indexStore.journal();
      if (epoch !== this.epoch) return;
      // From here to saveIndex() opening its transaction nothing awaits: the export, the journal
      // check and the transaction see one state of the engine.
      const since = this.savedGeneration;
      const snapshot = engine.exportIndex(since === null ? {} : { since });
      const last = new Map<string, IndexJournalEntry["op"]>();
      for (const e of journal) last.set(e.id, e.op);
      // An entry is reflected when the engine agrees with the id's last write.
      const drop = journal.filter((e) => (last.get(e.id) === "put") === engine.has(e.id)).map((e) => e.seq);
      this.changes = 0;
      await indexStore.saveIndex({ ...snapshot, rebuildAfter: this.rebuildAfter }, drop);
      if (epoch === this.epoch) this.savedGeneration = snapshot.generation;
    };
    const next = this.saving.then(run, run);
    // A failed save (e.g. storage full) loses nothing: the journal still holds every write.
    this.saving = next.catch(() => undefined);
    return next;
  }

  private changed(n = 1): void {
    if (!this.loading) return;
    this.changes += n;
    const flushNow = this.changes >= this.saveEvery;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), flushNow ? 0 : this.saveDelayMs);
  }

  /** Saves the index now if anything changed since the last save (tests, and before a bench stops the worker). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.loading) return;
    const engine = await this.loading;
    if (persistable(engine) && this.store.indexStore) await this.save(engine);
  }

  /** Keeps a loaded (or loading) engine in step with the store: the article was just stored. */
  async added(article: Article): Promise<void> {
    const engine = await this.get();
    await this.whenFilled(engine);
    engine.add(article);
    this.changed();
  }

  /** The article was just deleted from the store. */
  async removed(id: string): Promise<void> {
    if (!this.loading) return;
    const engine = await this.loading;
    await this.whenFilled(engine);
    engine.remove(id);
    this.changed();
  }

  /** Deletes every article from the store (and its persisted index), and empties the engine. */
  async clear(): Promise<void> {
    this.epoch++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.changes = 0;
    await this.saving;
    await this.store.clear();
    this.savedGeneration = null;
    this.rebuildAfter = null;
    if (this.loading) (await this.loading).clear();
  }
}
