import type { Article, Report } from "../engine/types.js";
import type { Store } from "../store/types.js";

/** What the background needs of the engine (src/engine/engine.ts `Engine`). */
export interface EngineLike {
  add(article: Article): void;
  remove(id: string): void;
  clear(): void;
  analyze(query: Article): Report;
  readonly size: number;
}

/**
 * Loads every stored article into an engine on first need — a cold MV3 worker must answer
 * its first message — and caches the loading promise so concurrent messages share one load.
 */
export class EngineHost {
  private loading: Promise<EngineLike> | null = null;

  constructor(
    private readonly store: Store,
    private readonly makeEngine: () => EngineLike,
  ) {}

  get(): Promise<EngineLike> {
    if (!this.loading) {
      this.loading = (async () => {
        const engine = this.makeEngine();
        for (const article of await this.store.all()) engine.add(article);
        return engine;
      })();
      // A failed load is retried on the next message instead of failing forever.
      this.loading.catch(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  /** Keeps a loaded (or loading) engine in step with the store. */
  async added(article: Article): Promise<void> {
    (await this.get()).add(article);
  }

  async cleared(): Promise<void> {
    if (this.loading) (await this.loading).clear();
  }
}
