import { describe, expect, it } from 'vitest';
import type { PredictionRunMeta } from '../predictions/run';
import type { LoaderCheckRecord } from '../store/predictions';
import type {
  DumpFiles,
  FiguresRequest,
  LoaderCheckAnswer,
  ModelFigures,
  PredictionsService,
  RunPreview,
} from '../workers/predictions-client';
import type { DatasetLibrary } from './library.svelte';
import {
  DEFAULT_THRESHOLD,
  ModelRuns,
  type PredictionsStore,
  type RunFiles,
} from './predictions.svelte';

const SCHEME = {
  id: 'basic',
  name: 'Basic',
  classes: [
    { id: 0, name: 'happy', components: ['happy' as const] },
    { id: 1, name: 'sad', components: ['sad' as const] },
  ],
};

function metaOf(id: string, datasetId = 'ds-1', createdAt = 1): PredictionRunMeta {
  return {
    version: 1,
    id,
    datasetId,
    name: id,
    createdAt,
    fileNames: [`${id}.csv`],
    emotion: { output: 'logits', classIds: [0, 1], convertedFromLogits: true },
    au: null,
    predicted: 4,
    unmatched: 0,
  };
}

const csvFiles: RunFiles = {
  kind: 'csv',
  file: { name: 'run.csv', blob: new Blob(['image,p_0,p_1\n']) },
  mapping: null,
  output: {},
};

function previewOf(
  meta: PredictionRunMeta | null,
  problems: RunPreview['problems'] = [],
): RunPreview {
  return {
    meta,
    problems,
    problemCounts: {},
    rows: { read: 5, rejected: 1, unmatched: 0, accepted: 4, missing: 0 },
    columns: ['image', 'p_0', 'p_1'],
    mapping: { image: 'image', classColumns: [], predictedClass: null, auColumns: [] },
  };
}

/** A worker that answers at once and records what it was asked. */
class FakeService implements PredictionsService {
  reads: { datasetId: string; name: string; files: RunFiles }[] = [];
  stored: number[] = [];
  forgotten: string[] = [];
  figureRequests: FiguresRequest[] = [];
  nextPreview: RunPreview = previewOf(metaOf('new', 'ds-1', 5));
  cancelled = 0;
  failStore = false;
  loaderAnswer: LoaderCheckAnswer | null = null;

  async readRun(datasetId: string, request: { name: string; files: RunFiles }) {
    await Promise.resolve();
    this.reads.push({ datasetId, name: request.name, files: request.files });
    return { readId: this.reads.length, preview: this.nextPreview };
  }

  async storeRun(readId: number) {
    await Promise.resolve();
    if (this.failStore) throw new Error('quota exceeded');
    this.stored.push(readId);
    return this.nextPreview.meta as PredictionRunMeta;
  }

  async forgetRun(runId: string) {
    this.forgotten.push(runId);
  }

  async figures(request: FiguresRequest): Promise<ModelFigures> {
    await Promise.resolve();
    this.figureRequests.push(request);
    return {
      emotion: request.runIds.map(() => null),
      comparison:
        request.runIds.length === 2
          ? ({
              aRightBWrong: new Int32Array([1, 3]),
              bRightAWrong: new Int32Array([]),
            } as unknown as ModelFigures['comparison'])
          : null,
      au: request.runIds.map(() => null),
    };
  }

  async checkLoader(_datasetId: string, _files: DumpFiles) {
    await Promise.resolve();
    return this.loaderAnswer;
  }

  cancel() {
    this.cancelled++;
  }
}

class FakeStore implements PredictionsStore {
  metas: PredictionRunMeta[] = [metaOf('baseline', 'ds-1', 1), metaOf('multi-task', 'ds-1', 2)];
  removed: string[] = [];
  check: LoaderCheckRecord | undefined = undefined;

  async listRuns(datasetId: string) {
    await Promise.resolve();
    return { metas: this.metas.filter((m) => m.datasetId === datasetId), unreadable: [] };
  }
  async removeRun(id: string) {
    this.removed.push(id);
    this.metas = this.metas.filter((m) => m.id !== id);
  }
  async loaderCheck() {
    return this.check;
  }
}

/** Just what ModelRuns reads and calls of the library. */
class FakeLibrary {
  openId = $state<string | null>('ds-1');
  open = $state.raw<{ scheme: typeof SCHEME } | null>({ scheme: SCHEME });
  sets: { name: string; samples: number[] }[] = [];
  analyses = 0;
  async modelsChanged(): Promise<void> {
    this.analyses++;
  }
  review = {
    createSet: async (init: { name: string }, samples: Int32Array) => {
      this.sets.push({ name: init.name, samples: Array.from(samples) });
      return { id: `set-${this.sets.length}` };
    },
  };
}

function setup() {
  const library = new FakeLibrary();
  const service = new FakeService();
  const store = new FakeStore();
  const models = new ModelRuns(() => library as unknown as DatasetLibrary, service, store);
  return { library, service, store, models };
}

describe('ModelRuns', () => {
  it('loads the open dataset’s runs, compares the first two and scores them on every sample at 0.5', async () => {
    const { models, service } = setup();
    await models.sync();
    expect(models.runs.map((r) => r.id)).toEqual(['baseline', 'multi-task']);
    expect([models.runA, models.runB]).toEqual(['baseline', 'multi-task']);
    expect(service.figureRequests).toEqual([
      {
        datasetId: 'ds-1',
        scheme: SCHEME,
        runIds: ['baseline', 'multi-task'],
        split: null,
        threshold: DEFAULT_THRESHOLD,
      },
    ]);
    expect(models.figures?.comparison?.aRightBWrong).toEqual(new Int32Array([1, 3]));
  });

  it('loads again when another dataset is opened, and not otherwise', async () => {
    const { models, library, store } = setup();
    await models.sync();
    store.metas.push(metaOf('other', 'ds-2'));
    await models.sync();
    expect(models.runs).toHaveLength(2);
    library.openId = 'ds-2';
    await models.sync();
    expect(models.runs.map((r) => r.id)).toEqual(['other']);
    expect([models.runA, models.runB]).toEqual(['other', null]);
  });

  it('reads a file into a preview, stores nothing until save, then lists the run', async () => {
    const { models, service, library } = setup();
    await models.sync();
    const reading = models.read('  new  ', csvFiles);
    expect(models.importStatus).toBe('reading');
    await reading;
    expect(models.importStatus).toBe('ready');
    expect(models.preview?.meta?.id).toBe('new');
    expect(service.reads[0]?.name).toBe('new');
    expect(service.stored).toEqual([]);
    expect(models.canSave).toBe(true);
    expect(library.analyses).toBe(0);

    const meta = await models.save();
    // A saved run is weighed into the evidence about the labels.
    expect(library.analyses).toBe(1);
    expect(meta?.id).toBe('new');
    expect(service.stored).toEqual([1]);
    expect(models.runs.map((r) => r.id)).toEqual(['baseline', 'multi-task', 'new']);
    expect(models.preview).toBeNull();
    expect(models.importStatus).toBe('idle');
  });

  it('reads the same CSV again with a changed mapping', async () => {
    const { models, service } = setup();
    await models.sync();
    await models.read('run', csvFiles);
    const mapping = { image: 'p_0', classColumns: [], predictedClass: null, auColumns: [] };
    await models.remap(mapping);
    expect(service.reads).toHaveLength(2);
    expect(service.reads[1]?.files).toEqual({ ...csvFiles, mapping });
  });

  it('shows why a file gave no run, and cannot save it', async () => {
    const { models, service } = setup();
    await models.sync();
    service.nextPreview = previewOf(null, [
      {
        kind: 'header',
        severity: 'error',
        file: 'run.csv',
        line: 1,
        field: 'header',
        raw: '',
        message: 'no image column',
      },
    ]);
    await models.read('run', csvFiles);
    expect(models.importStatus).toBe('error');
    expect(models.importError).toBe('no image column');
    expect(models.canSave).toBe(false);
    expect(await models.save()).toBeNull();
    expect(service.stored).toEqual([]);
  });

  it('does not store a run read against a dataset that is no longer open', async () => {
    const { models, library, service } = setup();
    await models.sync();
    await models.read('run', csvFiles);
    library.openId = 'ds-2';
    expect(models.canSave).toBe(false);
    expect(await models.save()).toBeNull();
    expect(service.stored).toEqual([]);
  });

  it('keeps the preview and says so when storing fails', async () => {
    const { models, service } = setup();
    await models.sync();
    await models.read('run', csvFiles);
    service.failStore = true;
    expect(await models.save()).toBeNull();
    expect(models.importError).toBe('Could not store the run: quota exceeded');
    expect(models.runs).toHaveLength(2);
    expect(models.canSave).toBe(true);
  });

  it('stops the worker when the screen is destroyed', async () => {
    const { models, service } = setup();
    await models.sync();
    models.destroy();
    expect(service.cancelled).toBe(1);
  });

  it('removes a run and moves the comparison to the runs left', async () => {
    const { models, service, store, library } = setup();
    await models.sync();
    expect(await models.remove('baseline')).toBe(true);
    expect(library.analyses).toBe(1);
    expect(store.removed).toEqual(['baseline']);
    expect(service.forgotten).toEqual(['baseline']);
    expect(models.runs.map((r) => r.id)).toEqual(['multi-task']);
    expect([models.runA, models.runB]).toEqual(['multi-task', null]);
    expect(service.figureRequests.at(-1)?.runIds).toEqual(['multi-task']);
    await models.remove('multi-task');
    expect([models.runA, models.runB]).toEqual([null, null]);
    expect(models.figures).toBeNull();
  });

  it.each([
    ['a split', (m: ModelRuns) => m.chooseSplit(0), { split: 0, threshold: 0.5 }],
    ['a threshold', (m: ModelRuns) => m.setThreshold(0.3), { split: null, threshold: 0.3 }],
    [
      'a threshold above 1, kept at 1',
      (m: ModelRuns) => m.setThreshold(7),
      { split: null, threshold: 1 },
    ],
  ] as const)('scores again for %s', async (_, change, expected) => {
    const { models, service } = setup();
    await models.sync();
    await change(models);
    expect(service.figureRequests.at(-1)).toMatchObject(expected);
  });

  it('never compares a run with itself', async () => {
    const { models, service } = setup();
    await models.sync();
    await models.choose('baseline', 'baseline');
    expect(models.runB).toBeNull();
    expect(service.figureRequests.at(-1)?.runIds).toEqual(['baseline']);
  });

  it('makes a review set of the samples A gets right and B wrong, named after the runs', async () => {
    const { models, library } = setup();
    await models.sync();
    const set = await models.reviewDisagreements('onlyA');
    expect(set).toEqual({ id: 'set-1' });
    expect(library.sets).toEqual([
      { name: 'baseline right, multi-task wrong (2)', samples: [1, 3] },
    ]);
    expect(await models.reviewDisagreements('onlyB')).toBeNull();
    expect(library.sets).toHaveLength(1);
  });

  it('stores nothing of a dump that cannot be read, and shows the findings of one that can', async () => {
    const { models, service } = setup();
    await models.sync();
    const files: DumpFiles = {
      file: { name: 'targets.csv', blob: new Blob(['']) },
      aus: [],
      imageList: null,
      split: null,
    };
    const problem = {
      kind: 'header' as const,
      severity: 'error' as const,
      file: 'targets.csv',
      line: 0,
      field: 'header',
      raw: '',
      message: 'no header row: the file is empty',
    };
    service.loaderAnswer = {
      report: null,
      problems: [problem],
      fileNames: ['targets.csv'],
      checkedAt: 3,
    };
    await models.checkLoader(files);
    expect(models.loaderCheck).toBeNull();
    expect(models.loaderError).toBe('no header row: the file is empty');

    const report = {
      version: 1 as const,
      verdict: 'Every coded sample has all-zero targets.',
      clean: false,
      findings: [],
      join: {
        by: 'image' as const,
        rows: 4,
        matched: 4,
        unmatched: 0,
        unmatchedExamples: [],
        samplesWithoutRow: 0,
      },
      codedRows: 4,
      notCodedRows: 0,
      columns: 2,
    };
    service.loaderAnswer = { report, problems: [], fileNames: ['targets.csv'], checkedAt: 4 };
    await models.checkLoader(files);
    expect(models.loaderError).toBeNull();
    expect(models.loaderCheck).toMatchObject({ datasetId: 'ds-1', checkedAt: 4, report });
  });
});
