import type { FaceModelLocation } from './faces-protocol';

/**
 * How Human runs here, shared by the app's face worker and the benchmark's floor so that
 * both run the same model the same way: the WebAssembly backend, each image on its own
 * (Human's frame-to-frame caching, meant for video, off), detection with up to five
 * faces down to confidence 0.2 (the findings judge them), the mesh, and the expression
 * probabilities of all seven classes. Typed loosely: only the face worker imports Human.
 */
export type HumanConfig = Record<string, unknown>;

export function humanConfig(location: FaceModelLocation, expression = true): HumanConfig {
  return {
    backend: 'wasm',
    wasmPath: location.wasm,
    wasmPlatformFetch: false,
    modelBasePath: location.models,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        enabled: true,
        modelPath: 'blazeface.json',
        rotation: false,
        maxDetected: 5,
        minConfidence: 0.2,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      iris: { enabled: false },
      emotion: {
        enabled: expression,
        modelPath: 'emotion.json',
        minConfidence: 0,
        skipFrames: 0,
        skipTime: 0,
      },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  };
}
