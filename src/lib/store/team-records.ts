import { z } from 'zod';
import { DecisionSchema } from '../review/decision';
import { AssignmentSchema, TeamSessionSchema } from '../team/assignment';
import { ReviewBundleSchema } from '../team/bundle';

/** Shapes of the team-review records in IndexedDB; the functions that store them are in team.ts. */

export const TEAM_RECORD_VERSION = 1;

/** The lead's team session, with the review set it was drawn from. */
export const TeamSessionRecordSchema = z
  .object({
    version: z.literal(TEAM_RECORD_VERSION),
    /** = session.sessionId */
    id: z.string().min(1),
    /** = session.datasetId */
    datasetId: z.string().min(1),
    reviewSetId: z.string().min(1).optional(),
    reviewSetName: z.string().optional(),
    session: TeamSessionSchema,
  })
  .refine((r) => r.id === r.session.sessionId && r.datasetId === r.session.datasetId, {
    message: 'id and datasetId must be those of the session',
    path: ['id'],
  });
export type TeamSessionRecord = z.infer<typeof TeamSessionRecordSchema>;

/** One reviewer's merged work in a session (see team/merge mergeBundles). */
export const TeamBundleRecordSchema = z
  .object({
    version: z.literal(TEAM_RECORD_VERSION),
    sessionId: z.string().min(1),
    reviewer: z.string().min(1),
    bundle: ReviewBundleSchema,
    /** Names of the files merged into it, oldest first. */
    files: z.array(z.string()),
    updatedAt: z.number(),
  })
  .refine((r) => r.sessionId === r.bundle.sessionId && r.reviewer === r.bundle.reviewer, {
    message: 'sessionId and reviewer must be those of the bundle',
    path: ['sessionId'],
  });
export type TeamBundleRecord = z.infer<typeof TeamBundleRecordSchema>;

/** An assignment opened in a reviewer's browser, with the reviewer's work on it. */
export const AssignmentRecordSchema = z
  .object({
    version: z.literal(TEAM_RECORD_VERSION),
    sessionId: z.string().min(1),
    /** The lead's dataset id (this browser may not hold that dataset). */
    datasetId: z.string().min(1),
    fileName: z.string(),
    openedAt: z.number(),
    assignment: AssignmentSchema,
    /** Every decision made, oldest first; the latest per sample counts. */
    decisions: z.array(DecisionSchema),
    /** Time spent looking at each sample, summed over visits. */
    durations: z.array(z.object({ sample: z.number().int().min(0), ms: z.number().min(0) })),
    /** When the first decision was made; null before that. */
    startedAt: z.number().nullable(),
  })
  .refine((r) => r.sessionId === r.assignment.sessionId && r.datasetId === r.assignment.datasetId, {
    message: 'sessionId and datasetId must be those of the assignment',
    path: ['sessionId'],
  })
  .refine(
    (r) =>
      r.decisions.every(
        (d) => d.reviewer === r.assignment.reviewer && d.datasetId === r.assignment.datasetId,
      ),
    {
      message: "every decision must be the assigned reviewer's, on its dataset",
      path: ['decisions'],
    },
  );
export type AssignmentRecord = z.infer<typeof AssignmentRecordSchema>;
