import {
  Canvas,
  Circle,
  Ellipse,
  FabricImage,
  FabricText,
  Rect,
  util,
  type FabricObject,
  type ModifiedEvent,
  type TMat2D,
  type TPointerEventInfo,
} from 'fabric';
import {
  boxFromPixels,
  boxFromPixelsUnclamped,
  boxFromPoints,
  boxToPixels,
  clampBox,
  describeBox,
  keepInside,
  makeEvidenceBox,
  moveBox,
  resizeBox,
  sameRect,
  toImageCoords,
  type BoxRect,
  type EvidenceBox,
  type Point2,
  type Size2,
  type ViewportTransform,
} from '../review/evidence';
import {
  BOX_STEP,
  BOX_STEP_LARGE,
  PAN_STEP,
  PAN_STEP_LARGE,
  focusCommandFor,
  pageCommandFor,
  type CanvasCommand,
  type KeyContext,
} from './keys';
import { LANDMARK_DOT_RADIUS, landmarkPoints } from './landmarks';
import {
  overlayLabelCorner,
  overlayLabelText,
  shapeInPixels,
  type CanvasOverlayRegion,
} from './overlay';
import {
  boxInView,
  fitTransform,
  fitZoom,
  isClick,
  keepCentre,
  onImage,
  panBy,
  sceneLength,
  viewCentre,
  visibleImageRect,
  wheelZoomFactor,
  zoomBy,
  zoomPercent,
} from './viewport';

/**
 * The face viewer without a framework: a fabric canvas showing one image, the AU
 * region overlay and the evidence boxes, with zoom, fit, pan and box editing by
 * mouse and by key. Boxes are held in image coordinates (0-1); fabric objects are
 * only their picture. The component around it passes props in and events out.
 */

/** Who and what a newly drawn box belongs to. */
export interface BoxContext {
  datasetId: string;
  sample: number;
  reviewer: string;
}

export interface FaceCanvasEvents {
  /** The zoom shown, in percent. */
  zoomChanged?(percent: number): void;
  /** All boxes after the user added, moved, resized or deleted one. */
  boxesEdited?(boxes: EvidenceBox[]): void;
  /** The boxes shown and the selected one's id, whenever either changes. */
  boxesShown?(boxes: readonly EvidenceBox[], selectedId: string | null): void;
  /** Why the image is not shown, or null once one is. */
  loadFailed?(message: string | null): void;
  /** A sentence for screen readers about what just changed. */
  announce?(message: string): void;
  /** How many landmark dots are drawn now (0 without landmarks or an image). */
  landmarksShown?(count: number): void;
}

export interface FaceCanvasOptions {
  /** The view's size in CSS pixels. */
  size: Size2;
  events?: FaceCanvasEvents;
  /** Loads an image URL; fabric's loader unless a test passes its own. */
  loadImage?: (url: string) => Promise<HTMLImageElement>;
  newId?: () => string;
  now?: () => number;
}

/** What the component passes in from its props; each one given is applied. */
export interface CanvasSettings {
  keepView?: boolean;
  boxContext?: BoxContext | null;
  drawAu?: number | null;
  overlay?: CanvasOverlayRegion[];
  /** The face mesh to draw as dots: x, y pairs in image coordinates 0-1; null draws none. */
  landmarks?: Float32Array | null;
  boxes?: EvidenceBox[];
  /** Shown last, once the settings above are in place; null shows no image. */
  imageUrl?: string | null;
}

type ArrowMode = 'move' | 'resize';

/** A drag shorter than this (screen px, either side) is a click, not a box. */
const MIN_DRAW_PIXELS = 4;

const colors = {
  background: '#1d1f24',
  labelled: '#3d8bff',
  labelledFill: 'rgba(61, 139, 255, 0.16)',
  labelledTag: 'rgba(29, 78, 160, 0.85)',
  missing: '#ff8c1a',
  missingTag: 'rgba(176, 84, 0, 0.9)',
  box: '#ffd43b',
  boxFill: 'rgba(255, 212, 59, 0.12)',
  // Muted green: apart from the regions' blue and orange and the boxes' yellow.
  landmark: 'rgba(40, 200, 150, 0.9)',
};

const BOX_ID = 'data-box-id';
const STYLE = 'data-style';

function boxIdOf(object: FabricObject | undefined | null): string | null {
  const id: unknown = object?.get(BOX_ID);
  return typeof id === 'string' ? id : null;
}

/** A fabric rect's geometry in image pixels (the stroke's centre line). */
function rectPixels(rect: Rect): BoxRect {
  const centre = rect.getCenterPoint();
  const w = (rect.width ?? 0) * (rect.scaleX ?? 1);
  const h = (rect.height ?? 0) * (rect.scaleY ?? 1);
  return { x: centre.x - w / 2, y: centre.y - h / 2, w, h };
}

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 'es'}`;
}

export class FaceCanvasController {
  private readonly canvas: Canvas;
  private readonly events: FaceCanvasEvents;
  private readonly loadImage: (url: string) => Promise<HTMLImageElement>;
  private readonly newId: () => string;
  private readonly now: () => number;
  private readonly detach: () => void;

  private view: Size2;
  private image: FabricImage | undefined;
  /** Natural size of the last image shown (kept while the next one loads). */
  private lastImageSize: Size2 | null = null;
  private wantedUrl: string | null = null;
  private fit = 1;
  private keepView = false;
  private drawAu: number | null = null;
  private boxContext: BoxContext | null = null;
  private arrowMode: ArrowMode = 'move';

  private overlay: CanvasOverlayRegion[] = [];
  private overlayShapes: FabricObject[] = [];
  private overlayLabels: FabricText[] = [];

  private landmarks: Float32Array | null = null;
  private landmarkDots: Circle[] = [];

  private model: EvidenceBox[] = [];
  private readonly rendered = new Map<string, { rect: Rect; text: FabricText }>();
  /** A box being drawn: where the drag started (image 0-1) and its preview. */
  private drawing: { from: Point2; preview: Rect } | null = null;
  /** Where a pan drag last was (client pixels). */
  private dragFrom: Point2 | null = null;

  constructor(element: HTMLCanvasElement, options: FaceCanvasOptions) {
    this.view = options.size;
    this.events = options.events ?? {};
    this.loadImage = options.loadImage ?? ((url) => util.loadImage(url));
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.now = options.now ?? Date.now;
    this.canvas = new Canvas(element, {
      ...options.size,
      selection: false,
      backgroundColor: colors.background,
      preserveObjectStacking: true,
      uniformScaling: false,
    });
    this.detach = this.listen();
  }

  // ---------------------------------------------------------------------------
  // Reading

  get transform(): ViewportTransform {
    return [...this.canvas.viewportTransform];
  }

  get selectedId(): string | null {
    return boxIdOf(this.canvas.getActiveObject());
  }

  /** What the keys can do now (see keys.ts). */
  get keyContext(): KeyContext {
    return {
      selected: this.selectedId !== null,
      boxes: this.model.length,
      canDraw: typeof this.drawAu === 'number' && this.image !== undefined,
    };
  }

  private imageSize(): Size2 | null {
    return this.image ? { width: this.image.width || 1, height: this.image.height || 1 } : null;
  }

  // ---------------------------------------------------------------------------
  // Settings from the component

  configure(settings: CanvasSettings): void {
    if (settings.keepView !== undefined) this.setKeepView(settings.keepView);
    if (settings.boxContext !== undefined) this.setBoxContext(settings.boxContext);
    if (settings.drawAu !== undefined) this.setDrawAu(settings.drawAu);
    if (settings.overlay) this.setOverlay(settings.overlay);
    if (settings.landmarks !== undefined) this.setLandmarks(settings.landmarks);
    if (settings.boxes) this.setBoxes(settings.boxes);
    if (settings.imageUrl !== undefined) void this.showImage(settings.imageUrl);
  }

  setKeepView(keep: boolean): void {
    this.keepView = keep;
  }

  setBoxContext(context: BoxContext | null): void {
    this.boxContext = context;
  }

  setDrawAu(au: number | null): void {
    this.drawAu = au;
    this.canvas.defaultCursor = typeof au === 'number' ? 'crosshair' : 'grab';
    if (typeof au !== 'number' && this.drawing) {
      this.canvas.remove(this.drawing.preview);
      this.drawing = null;
      this.canvas.requestRenderAll();
    }
  }

  setOverlay(regions: CanvasOverlayRegion[]): void {
    this.overlay = regions;
    this.renderOverlay();
  }

  setLandmarks(mesh: Float32Array | null): void {
    this.landmarks = mesh;
    this.renderLandmarks();
  }

  /** The boxes to show, as the parent holds them (no edit is reported). */
  setBoxes(boxes: EvidenceBox[]): void {
    this.setModel(boxes, false);
  }

  // ---------------------------------------------------------------------------
  // The image

  /** Shows an image (null: none); a newer call wins over one still loading. */
  async showImage(url: string | null): Promise<void> {
    this.wantedUrl = url;
    this.events.loadFailed?.(null);
    if (!url) {
      this.replaceImage(undefined);
      return;
    }
    let loaded: FabricImage;
    try {
      const element = await this.loadImage(url);
      loaded = new FabricImage(element, {
        originX: 'left',
        originY: 'top',
        left: 0,
        top: 0,
        selectable: false,
        evented: false,
      });
    } catch {
      if (url !== this.wantedUrl) return;
      this.replaceImage(undefined);
      this.events.loadFailed?.('This image could not be decoded.');
      return;
    }
    if (url !== this.wantedUrl) return;
    const previous = this.lastImageSize;
    const sameSize =
      previous !== null && previous.width === loaded.width && previous.height === loaded.height;
    this.replaceImage(loaded);
    this.lastImageSize = { width: loaded.width, height: loaded.height };
    if (this.keepView && sameSize) {
      this.fit = fitZoom(this.view, this.lastImageSize);
      this.zoomShown();
    } else {
      this.fitView();
    }
  }

  private replaceImage(next: FabricImage | undefined): void {
    if (this.image) this.canvas.remove(this.image);
    this.image = next;
    if (next) this.canvas.add(next);
    this.renderOverlay();
    this.renderLandmarks();
    this.renderBoxes();
    this.canvas.requestRenderAll();
  }

  // ---------------------------------------------------------------------------
  // The view

  private setTransform(transform: ViewportTransform): void {
    this.canvas.setViewportTransform([...transform] as TMat2D);
    this.zoomShown();
  }

  private zoomShown(): void {
    this.events.zoomChanged?.(zoomPercent(this.transform));
    this.restyle();
  }

  /** Centres the whole image in the view. */
  fitView(): void {
    const image = this.imageSize();
    if (!image) return;
    this.fit = fitZoom(this.view, image);
    this.setTransform(fitTransform(this.view, image));
  }

  /** Zooms by `factor` about a view point (the view's centre by default). */
  zoom(factor: number, at: Point2 = viewCentre(this.view)): void {
    this.setTransform(zoomBy(this.transform, factor, at, this.fit));
  }

  pan(dx: number, dy: number): void {
    this.setTransform(panBy(this.transform, dx, dy));
  }

  /** The view's new size: with `keepView` the zoom and the centre stay, else it fits. */
  resize(size: Size2): void {
    const before = this.view;
    const same = size.width === before.width && size.height === before.height;
    if (this.keepView && this.image && same) return;
    this.view = size;
    this.canvas.setDimensions(size);
    const image = this.imageSize();
    if (this.keepView && image) {
      this.fit = fitZoom(size, image);
      this.setTransform(keepCentre(this.transform, before, size));
    } else {
      this.fitView();
    }
  }

  // ---------------------------------------------------------------------------
  // Boxes

  select(id: string | null, announce = true): void {
    const objects = id === null ? undefined : this.rendered.get(id);
    if (objects) this.canvas.setActiveObject(objects.rect);
    else this.canvas.discardActiveObject();
    this.canvas.requestRenderAll();
    this.shown();
    const box = this.model.find((b) => b.id === id);
    if (box && announce) {
      const at = this.model.indexOf(box) + 1;
      this.say(`Selected ${describeBox(box)}, ${at} of ${this.model.length}.`);
    }
  }

  /** Selects the next (or previous) box, round the list; the first when none is. */
  private selectNext(step: 1 | -1): void {
    const count = this.model.length;
    if (count === 0) return;
    const at = this.model.findIndex((b) => b.id === this.selectedId);
    const next = at < 0 ? (step > 0 ? 0 : count - 1) : (at + step + count) % count;
    this.select(this.model[next]?.id ?? null);
  }

  deleteBox(id: string): void {
    const box = this.model.find((b) => b.id === id);
    if (!box) return;
    this.setModel(
      this.model.filter((b) => b.id !== id),
      true,
    );
    this.say(`Deleted the AU${box.au} box; ${plural(this.model.length, 'box')} left.`);
  }

  /** Adds a box for the AU being drawn, centred on the part of the image in view. */
  private addBoxInView(): void {
    const image = this.imageSize();
    if (!image || typeof this.drawAu !== 'number') return;
    const rect = boxInView(visibleImageRect(this.transform, this.view, image));
    const box = this.newBox(this.drawAu, rect);
    this.setModel([...this.model, box], true);
    this.select(box.id, false);
    this.say(`Added ${describeBox(box)}. Arrow keys move it.`);
  }

  /** Moves or resizes the selected box by whole steps (a share of the image side). */
  private stepSelected(dx: number, dy: number, step: number): void {
    const id = this.selectedId;
    const box = this.model.find((b) => b.id === id);
    if (!box) return;
    const rect =
      this.arrowMode === 'move'
        ? moveBox(box, dx * step, dy * step)
        : resizeBox(box, dx * step, dy * step);
    if (sameRect(rect, box)) {
      this.say(`The AU${box.au} box cannot go further.`);
      return;
    }
    this.setModel(
      this.model.map((b) => (b.id === box.id ? { ...b, ...rect } : b)),
      true,
    );
    this.say(
      `${this.arrowMode === 'move' ? 'Moved' : 'Resized'}: ${describeBox({ ...box, ...rect })}.`,
    );
  }

  private setArrowMode(mode: ArrowMode): void {
    this.arrowMode = mode;
    this.say(mode === 'move' ? 'Arrow keys move the box.' : 'Arrow keys resize the box.');
  }

  /** Carries out a key's command (see keys.ts). */
  run(command: CanvasCommand): void {
    switch (command.kind) {
      case 'zoom':
        return this.zoom(command.factor);
      case 'fit':
        return this.fitView();
      case 'arrow':
        if (this.selectedId === null) {
          // Arrows scroll the view: the image moves the other way.
          const step = command.large ? PAN_STEP_LARGE : PAN_STEP;
          return this.pan(-command.dx * step, -command.dy * step);
        }
        return this.stepSelected(command.dx, command.dy, command.large ? BOX_STEP_LARGE : BOX_STEP);
      case 'add-box':
        return this.addBoxInView();
      case 'select':
        return this.selectNext(command.step);
      case 'delete': {
        const id = this.selectedId;
        if (id !== null) this.deleteBox(id);
        return;
      }
      case 'deselect':
        this.arrowMode = 'move';
        this.select(null);
        return this.say('No box selected; arrow keys pan the image.');
      case 'toggle-resize':
        return this.setArrowMode(this.arrowMode === 'move' ? 'resize' : 'move');
    }
  }

  /**
   * Handles a key pressed on the page (`focused` false) or on the image region
   * itself; true when the key was the viewer's. Keys typed into a field are not.
   */
  handleKey(event: KeyboardEvent, focused: boolean): boolean {
    const target = event.target as HTMLElement | null;
    const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(target?.tagName ?? '');
    if (event.defaultPrevented || typing || target?.isContentEditable) return false;
    const command = (focused ? focusCommandFor : pageCommandFor)(event, this.keyContext);
    if (command) this.run(command);
    return command !== null;
  }

  private say(message: string): void {
    this.events.announce?.(message);
  }

  private shown(): void {
    this.events.boxesShown?.(this.model, this.selectedId);
  }

  private setModel(next: EvidenceBox[], edited: boolean): void {
    this.model = next;
    this.renderBoxes();
    this.shown();
    if (edited) this.events.boxesEdited?.(next.map((b) => ({ ...b })));
  }

  private newBox(au: number, rect: BoxRect): EvidenceBox {
    // Without a context a new box belongs where the boxes shown do.
    const first = this.model[0];
    const context =
      this.boxContext ??
      (first
        ? { datasetId: first.datasetId, sample: first.sample, reviewer: first.reviewer }
        : { datasetId: 'unsaved', sample: 0, reviewer: 'unknown' });
    return makeEvidenceBox({ ...context, id: this.newId(), au, createdAt: this.now(), rect });
  }

  // ---------------------------------------------------------------------------
  // Drawing: outlines and labels keep the same size on screen at any zoom.

  private px(screenPixels: number): number {
    return sceneLength(screenPixels, this.canvas.getZoom());
  }

  private restyle(): void {
    for (const shape of this.overlayShapes) {
      const dashed = shape.get(STYLE) === 'missing';
      shape.set({
        strokeWidth: this.px(dashed ? 2 : 1.5),
        strokeDashArray: dashed ? [this.px(6), this.px(4)] : null,
      });
    }
    for (const text of this.overlayLabels) text.set({ fontSize: this.px(11) });
    for (const dot of this.landmarkDots) dot.set({ radius: this.px(LANDMARK_DOT_RADIUS) });
    for (const { rect, text } of this.rendered.values()) {
      rect.set({ strokeWidth: this.px(2) });
      text.set({ fontSize: this.px(11) });
      this.placeBoxLabel(rect, text);
      rect.setCoords();
    }
    this.drawing?.preview.set({ strokeWidth: this.px(2) });
    this.canvas.requestRenderAll();
  }

  /** Keeps image, overlay shapes, landmarks, overlay labels and boxes stacked in that order. */
  private restack(): void {
    const order: FabricObject[] = [
      ...(this.image ? [this.image] : []),
      ...this.overlayShapes,
      ...this.landmarkDots,
      ...this.overlayLabels,
      ...[...this.rendered.values()].flatMap(({ rect, text }) => [rect, text]),
    ];
    order.forEach((object, index) => this.canvas.moveObjectTo(object, index));
  }

  private renderOverlay(): void {
    if (this.overlayShapes.length > 0 || this.overlayLabels.length > 0) {
      this.canvas.remove(...this.overlayShapes, ...this.overlayLabels);
    }
    this.overlayShapes = [];
    this.overlayLabels = [];
    const image = this.imageSize();
    if (!image) return;
    for (const entry of this.overlay) {
      const labelled = entry.style === 'labelled';
      const common = {
        originX: 'center' as const,
        originY: 'center' as const,
        fill: labelled ? colors.labelledFill : '',
        stroke: labelled ? colors.labelled : colors.missing,
        selectable: false,
        evented: false,
        objectCaching: false,
      };
      for (const shape of entry.region.shapes) {
        const p = shapeInPixels(shape, image);
        const where = { ...common, left: p.centre.x, top: p.centre.y };
        const object =
          p.kind === 'rect'
            ? new Rect({ ...where, width: p.width, height: p.height })
            : new Ellipse({ ...where, rx: p.rx, ry: p.ry });
        object.set(STYLE, entry.style);
        this.overlayShapes.push(object);
      }
      const corner = overlayLabelCorner(entry.region);
      this.overlayLabels.push(
        new FabricText(overlayLabelText(entry), {
          left: corner.x * image.width,
          top: corner.y * image.height,
          originX: 'left',
          originY: 'top',
          fontFamily: 'system-ui, sans-serif',
          fontWeight: '600',
          fill: '#ffffff',
          backgroundColor: labelled ? colors.labelledTag : colors.missingTag,
          selectable: false,
          evented: false,
          objectCaching: false,
        }),
      );
    }
    if (this.overlayShapes.length > 0)
      this.canvas.add(...this.overlayShapes, ...this.overlayLabels);
    this.restack();
    this.restyle();
  }

  /** One dot per mesh point; each keeps its size on screen (restyle) while it zooms and pans. */
  private renderLandmarks(): void {
    if (this.landmarkDots.length > 0) this.canvas.remove(...this.landmarkDots);
    this.landmarkDots = [];
    const image = this.imageSize();
    if (image && this.landmarks) {
      const radius = this.px(LANDMARK_DOT_RADIUS);
      this.landmarkDots = landmarkPoints(this.landmarks, image).map(
        (point) =>
          new Circle({
            left: point.x,
            top: point.y,
            originX: 'center',
            originY: 'center',
            radius,
            fill: colors.landmark,
            strokeWidth: 0,
            selectable: false,
            evented: false,
            objectCaching: false,
          }),
      );
      if (this.landmarkDots.length > 0) this.canvas.add(...this.landmarkDots);
    }
    this.restack();
    this.canvas.requestRenderAll();
    this.events.landmarksShown?.(this.landmarkDots.length);
  }

  /** The landmark dots drawn: centres in image pixels and radii in screen pixels. */
  get landmarksDrawn(): { x: number; y: number; screenRadius: number }[] {
    const zoom = this.canvas.getZoom();
    return this.landmarkDots.map((dot) => ({
      x: dot.left,
      y: dot.top,
      screenRadius: dot.radius * zoom,
    }));
  }

  private placeBoxLabel(rect: Rect, text: FabricText): void {
    const p = rectPixels(rect);
    text.set({ left: p.x, top: p.y - this.px(1) });
    text.setCoords();
  }

  private applyGeometry(rect: Rect, box: BoxRect, image: Size2): void {
    const p = boxToPixels(box, image);
    rect.set({
      left: p.x + p.w / 2,
      top: p.y + p.h / 2,
      width: p.w,
      height: p.h,
      scaleX: 1,
      scaleY: 1,
    });
    rect.setCoords();
  }

  private createBoxObjects(box: EvidenceBox): { rect: Rect; text: FabricText } {
    const rect = new Rect({
      originX: 'center',
      originY: 'center',
      fill: colors.boxFill,
      stroke: colors.box,
      strokeUniform: true,
      strokeWidth: this.px(2),
      objectCaching: false,
      lockRotation: true,
      lockScalingFlip: true,
      transparentCorners: false,
      cornerColor: colors.box,
      cornerStrokeColor: colors.background,
      cornerSize: 10,
      borderColor: colors.box,
      hoverCursor: 'move',
    });
    rect.setControlVisible('mtr', false);
    rect.set(BOX_ID, box.id);
    const text = new FabricText(`AU${box.au}`, {
      originX: 'left',
      originY: 'bottom',
      fontFamily: 'system-ui, sans-serif',
      fontWeight: '600',
      fontSize: this.px(11),
      fill: colors.background,
      backgroundColor: colors.box,
      selectable: false,
      evented: false,
      objectCaching: false,
    });
    return { rect, text };
  }

  /** Brings the fabric objects in line with the model, reusing what is already there. */
  private renderBoxes(): void {
    const image = this.imageSize();
    const wanted = new Set(image ? this.model.map((b) => b.id) : []);
    for (const [id, { rect, text }] of this.rendered) {
      if (wanted.has(id)) continue;
      if (this.canvas.getActiveObject() === rect) this.canvas.discardActiveObject();
      this.canvas.remove(rect, text);
      this.rendered.delete(id);
    }
    if (!image) return;
    for (const box of this.model) {
      let objects = this.rendered.get(box.id);
      if (!objects) {
        objects = this.createBoxObjects(box);
        this.rendered.set(box.id, objects);
        this.canvas.add(objects.rect, objects.text);
        this.applyGeometry(objects.rect, box, image);
      } else if (!sameRect(boxFromPixels(rectPixels(objects.rect), image, 0), box)) {
        this.applyGeometry(objects.rect, box, image);
      }
      if (objects.text.text !== `AU${box.au}`) objects.text.set({ text: `AU${box.au}` });
      this.placeBoxLabel(objects.rect, objects.text);
    }
    this.restack();
    this.restyle();
  }

  // ---------------------------------------------------------------------------
  // Mouse

  /** The image point under the pointer (0-1, not clamped), or null with no image. */
  private imagePointOf(info: TPointerEventInfo): Point2 | null {
    const image = this.imageSize();
    return image ? toImageCoords(info.viewportPoint, this.transform, image) : null;
  }

  private readonly onWheel = (info: TPointerEventInfo<WheelEvent>): void => {
    const event = info.e;
    event.preventDefault();
    event.stopPropagation();
    this.zoom(wheelZoomFactor(event.deltaY), info.viewportPoint);
  };

  private readonly onDown = (info: TPointerEventInfo): void => {
    // A box (or one of its controls) was hit: fabric moves or resizes it.
    if (info.target) return;
    const at = this.imagePointOf(info);
    if (typeof this.drawAu === 'number' && at && onImage(at)) {
      const preview = new Rect({
        originX: 'left',
        originY: 'top',
        left: info.scenePoint.x,
        top: info.scenePoint.y,
        width: 0,
        height: 0,
        fill: colors.boxFill,
        stroke: colors.box,
        strokeWidth: this.px(2),
        strokeDashArray: [this.px(4), this.px(3)],
        selectable: false,
        evented: false,
        objectCaching: false,
      });
      this.drawing = { from: at, preview };
      this.canvas.add(preview);
      return;
    }
    const event = info.e as MouseEvent;
    this.dragFrom = { x: event.clientX, y: event.clientY };
  };

  private readonly onMove = (info: TPointerEventInfo): void => {
    if (this.drawing) {
      const image = this.imageSize();
      const at = this.imagePointOf(info);
      if (!image || !at) return;
      const box = boxToPixels(boxFromPoints(this.drawing.from, at, 0), image);
      this.drawing.preview.set({ left: box.x, top: box.y, width: box.w, height: box.h });
      this.canvas.requestRenderAll();
      return;
    }
    if (!this.dragFrom) return;
    const event = info.e as MouseEvent;
    const from = this.dragFrom;
    this.dragFrom = { x: event.clientX, y: event.clientY };
    this.pan(event.clientX - from.x, event.clientY - from.y);
  };

  private readonly onUp = (info: TPointerEventInfo): void => {
    this.dragFrom = null;
    if (!this.drawing) return;
    const { from, preview } = this.drawing;
    this.drawing = null;
    this.canvas.remove(preview);
    this.canvas.requestRenderAll();
    const at = this.imagePointOf(info);
    const image = this.imageSize();
    const au = this.drawAu;
    if (!at || !image || typeof au !== 'number') return;
    if (isClick(from, at, image, this.canvas.getZoom(), MIN_DRAW_PIXELS)) return;
    const box = this.newBox(au, boxFromPoints(from, at));
    this.setModel([...this.model, box], true);
    this.select(box.id, false);
    this.say(`Added ${describeBox(box)}.`);
  };

  private objectsOf(object: FabricObject | undefined) {
    const id = boxIdOf(object);
    const objects = id === null ? undefined : this.rendered.get(id);
    return id !== null && objects ? { id, ...objects } : null;
  }

  private readonly onMoving = (event: { target: FabricObject }): void => {
    const hit = this.objectsOf(event.target);
    const image = this.imageSize();
    if (!hit || !image) return;
    // A box never leaves the image while it is dragged.
    const r = rectPixels(hit.rect);
    const x = Math.min(Math.max(r.x, 0), Math.max(image.width - r.w, 0));
    const y = Math.min(Math.max(r.y, 0), Math.max(image.height - r.h, 0));
    if (x !== r.x || y !== r.y) {
      hit.rect.set({ left: x + r.w / 2, top: y + r.h / 2 });
      hit.rect.setCoords();
    }
    this.placeBoxLabel(hit.rect, hit.text);
  };

  private readonly onScaling = (event: { target: FabricObject }): void => {
    const hit = this.objectsOf(event.target);
    if (hit) this.placeBoxLabel(hit.rect, hit.text);
  };

  private readonly onModified = (event: ModifiedEvent): void => {
    const hit = this.objectsOf(event.target);
    const image = this.imageSize();
    if (!hit || !image) return;
    // A moved box keeps its size; a resized one is cut at the image edges.
    const unit = boxFromPixelsUnclamped(rectPixels(hit.rect), image);
    const rect = event.action === 'drag' ? keepInside(unit) : clampBox(unit);
    // Bake the scale into width and height, and snap back inside the image.
    this.applyGeometry(hit.rect, rect, image);
    this.placeBoxLabel(hit.rect, hit.text);
    const box = this.model.find((b) => b.id === hit.id);
    this.setModel(
      this.model.map((b) => (b.id === hit.id ? { ...b, ...rect } : b)),
      true,
    );
    if (box) {
      const verb = event.action === 'drag' ? 'Moved' : 'Resized';
      this.say(`${verb}: ${describeBox({ ...box, ...rect })}.`);
    }
  };

  private readonly onSelection = (): void => this.shown();

  private listen(): () => void {
    const canvas = this.canvas;
    canvas.on('mouse:wheel', this.onWheel);
    canvas.on('mouse:down', this.onDown);
    canvas.on('mouse:move', this.onMove);
    canvas.on('mouse:up', this.onUp);
    canvas.on('object:moving', this.onMoving);
    canvas.on('object:scaling', this.onScaling);
    canvas.on('object:modified', this.onModified);
    canvas.on('selection:created', this.onSelection);
    canvas.on('selection:updated', this.onSelection);
    canvas.on('selection:cleared', this.onSelection);
    return () => {
      canvas.off('mouse:wheel', this.onWheel);
      canvas.off('mouse:down', this.onDown);
      canvas.off('mouse:move', this.onMove);
      canvas.off('mouse:up', this.onUp);
      canvas.off('object:moving', this.onMoving);
      canvas.off('object:scaling', this.onScaling);
      canvas.off('object:modified', this.onModified);
      canvas.off('selection:created', this.onSelection);
      canvas.off('selection:updated', this.onSelection);
      canvas.off('selection:cleared', this.onSelection);
    };
  }

  /** Stops listening and frees the canvas; the controller is not used after this. */
  destroy(): void {
    this.detach();
    this.wantedUrl = null;
    this.rendered.clear();
    this.overlayShapes = [];
    this.overlayLabels = [];
    this.landmarkDots = [];
    this.drawing = null;
    this.dragFrom = null;
    void this.canvas.dispose();
  }
}
