import { z } from 'zod';

// The built app runs under a Content-Security-Policy without 'unsafe-eval'. zod would
// otherwise probe `new Function` to compile its object parsers, a policy violation in
// every realm (the page and each worker) that imports this module first.
z.config({ jitless: true });
