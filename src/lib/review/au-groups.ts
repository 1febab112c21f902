import type { ClassRule } from '../rules/schema';

export interface AuGroup {
  title: 'Labelled and expected' | 'Labelled but unexpected' | 'Expected but missing';
  style: 'ok' | 'extra' | 'missing';
  aus: number[];
}

/**
 * A sample's AUs against its class's rule, as the review screen shows them: the AUs
 * labelled that the rule expects (required or a variant), those it does not, and the
 * required AUs the label lacks. A label not coded lacks nothing: nothing was looked at.
 */
export function auGroups(
  aus: readonly number[],
  rule: ClassRule | undefined,
  coded: boolean,
): AuGroup[] {
  const expected = new Set([...(rule?.required ?? []), ...(rule?.variants.map((v) => v.au) ?? [])]);
  return [
    { title: 'Labelled and expected', style: 'ok', aus: aus.filter((au) => expected.has(au)) },
    {
      title: 'Labelled but unexpected',
      style: 'extra',
      aus: aus.filter((au) => !expected.has(au)),
    },
    {
      title: 'Expected but missing',
      style: 'missing',
      aus: coded ? (rule?.required ?? []).filter((au) => !aus.includes(au)) : [],
    },
  ];
}
