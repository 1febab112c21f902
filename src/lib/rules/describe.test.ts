import { describe, expect, it } from 'vitest';
import { RAFCE_SCHEME, RAFDB_BASIC_SCHEME, className } from '../labels/schemes';
import { RAFCE_RULE_SET, RAFDB_BASIC_RULE_SET, REFERENCE_HALLMARKS } from './builtin';
import { alternativesText, auLabel, componentMissingText, describeClassRule } from './describe';
import { classRuleOf, type ClassRule } from './schema';

const rafCe = (id: number) =>
  describeClassRule(classRuleOf(RAFCE_RULE_SET, id)!, className(RAFCE_SCHEME, id));
const basic = (id: number) =>
  describeClassRule(classRuleOf(RAFDB_BASIC_RULE_SET, id)!, className(RAFDB_BASIC_SCHEME, id));

describe('describeClassRule', () => {
  it.each([
    [
      rafCe(0),
      'Happily surprised: AU1 Inner Brow Raiser + AU2 Outer Brow Raiser + AU12 Lip Corner Puller + AU25 Lips Part; often AU5 (64%), AU26 (67%)',
    ],
    [
      rafCe(13),
      'Happily sad: AU4 Brow Lowerer + AU6 Cheek Raiser + AU12 Lip Corner Puller + AU25 Lips Part',
    ],
    [basic(4), 'Happiness: AU12 Lip Corner Puller; often AU6 (51%), AU25 (70%)'],
    [
      basic(3),
      'Disgust: one of AU9/AU10; often AU4 (31%), AU9 (70%), AU10 (70%), AU15 (30%), AU16 (30%), AU17 (70%), AU24 (26%)',
    ],
    [basic(7), 'Neutral: no AU expected'],
  ])('%s', (text, expected) => {
    expect(text).toBe(expected);
  });

  it('mentions discouraged pairs and single-AU groups', () => {
    const rule: ClassRule = {
      classId: 0,
      required: [],
      anyOf: [[43]],
      variants: [{ au: 45, rate: 0.125 }],
      discouragedPairs: [[12, 15]],
      components: [],
    };
    expect(describeClassRule(rule, 'Sleepy')).toBe(
      'Sleepy: AU43 Eyes Closed; often AU45 (13%); not AU12 with AU15',
    );
  });
});

describe('AU texts', () => {
  it.each([
    [auLabel(12), 'AU12 Lip Corner Puller'],
    [auLabel(40), 'AU40'],
    [alternativesText([[12], [6]]), 'AU12 or AU6'],
    [alternativesText(REFERENCE_HALLMARKS.fear), 'AU20, AU1+AU2+AU4 or AU5'],
    [alternativesText([[9]]), 'AU9'],
    [
      componentMissingText('happy', REFERENCE_HALLMARKS.happy),
      'no hallmark of happy (AU12 or AU6)',
    ],
  ])('%s', (text, expected) => {
    expect(text).toBe(expected);
  });
});
