import { generateDemoDataset } from '../../demo/dataset';
import { importLabelFiles } from '../formats/import';
import { imageKey } from '../labels/images';
import { saveImportedDataset } from '../store/datasets';
import type { DatasetMeta } from '../store/records';

export const DEMO_DATASET_NAME = 'Demo: synthetic faces (RAF-CE format)';

/** Generates the built-in demo (about 200 drawn faces with injected label noise) and stores it. */
export async function loadDemoDataset(): Promise<DatasetMeta> {
  const demo = generateDemoDataset();
  const encoder = new TextEncoder();
  const labelFiles = demo.files
    .filter((file) => file.name.startsWith('RAFCE_'))
    .map((file) => ({ name: file.name, bytes: encoder.encode(file.text) }));
  const images = demo.images.map((image) => ({
    key: imageKey(image.name),
    name: image.name,
    blob: new Blob([image.svg], { type: 'image/svg+xml' }),
  }));
  const parsed = importLabelFiles(labelFiles, { imageNames: images.map((i) => i.name) });
  const keyOfImage = parsed.imageMatch?.keyOfImage ?? [];
  return saveImportedDataset({
    meta: {
      name: DEMO_DATASET_NAME,
      format: parsed.format,
      scheme: parsed.scheme,
      splitNames: parsed.splitNames,
      sourceFiles: parsed.sourceFiles,
      report: parsed.report,
      sampleCount: parsed.table.count,
      isDemo: true,
    },
    table: parsed.table,
    images: images.map((image, index) => ({ ...image, key: keyOfImage[index] ?? image.key })),
  });
}
