import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';

/**
 * The one place the app talks to a live-review sync server: a socket to it, shared by
 * every document opened through it (the lead opens one per reviewer), with Yjs's own
 * sync over Hocuspocus's provider. It reconnects by itself after a dropped network or
 * a restarted server, and each document then catches up both ways.
 */

export type LiveStatus = 'connecting' | 'connected' | 'offline';

export interface LiveDocHandlers {
  /** The document holds the server's state (after each (re)connection). */
  onSynced?: () => void;
  /** The server refused the token (or the document). */
  onRefused?: (reason: string) => void;
  /** Changes made here that the server has not yet confirmed. */
  onUnsynced?: (count: number) => void;
}

export interface LiveDocHandle {
  doc: Y.Doc;
  /** Changes made here not yet confirmed by the server. */
  unsynced(): number;
  synced(): boolean;
  close(): void;
}

export class LiveLink {
  private readonly socket: HocuspocusProviderWebsocket;
  private readonly providers = new Set<HocuspocusProvider>();

  constructor(
    url: string,
    options: {
      onStatus?: (status: LiveStatus) => void;
      /** Node has no WebSocket of its own before version 22 (tests pass `ws`). */
      WebSocketPolyfill?: unknown;
    } = {},
  ) {
    this.socket = new HocuspocusProviderWebsocket({
      url,
      // Quick retries, capped: a lab's server restarts in seconds.
      delay: 300,
      minDelay: 300,
      maxDelay: 3000,
      maxAttempts: 0,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      onStatus: ({ status }) =>
        options.onStatus?.(
          status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline',
        ),
    });
  }

  open(
    name: string,
    token: string,
    handlers: LiveDocHandlers = {},
    doc = new Y.Doc(),
  ): LiveDocHandle {
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name,
      document: doc,
      token,
      // Nobody's cursor is shown: awareness would only add traffic.
      awareness: null,
      onSynced: ({ state }) => {
        if (state) handlers.onSynced?.();
      },
      onAuthenticationFailed: ({ reason }) => handlers.onRefused?.(reason),
      onUnsyncedChanges: ({ number }) => handlers.onUnsynced?.(number),
    });
    provider.attach();
    this.providers.add(provider);
    return {
      doc,
      unsynced: () => provider.unsyncedChanges,
      synced: () => provider.isSynced,
      close: () => {
        provider.destroy();
        this.providers.delete(provider);
      },
    };
  }

  close(): void {
    for (const provider of this.providers) provider.destroy();
    this.providers.clear();
    this.socket.destroy();
  }
}
