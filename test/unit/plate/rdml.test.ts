/** RDML: CRAFTED bare XML and zips (non-standard member name, sentinels, excl, namespace prefixes). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { importPlate } from '../../../src/engine/plate/index';
import { runQc } from '../../../src/engine/qc/index';
import { DEFAULT_QC } from '../../../src/engine/plate/model';

const XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<rdml version="1.2" xmlns="http://www.rdml.org" xmlns:rdml="http://www.rdml.org">',
  '<sample id="S1"><type>unkn</type></sample><sample id="N"><type>ntc</type></sample>',
  '<rdml:sample id="STD"><rdml:type>std</rdml:type><rdml:quantity><rdml:value>1000</rdml:value><rdml:unit>cop</rdml:unit></rdml:quantity></rdml:sample>',
  '<target id="GAPDH"><type>ref</type></target><target id="IL6"><type>toi</type></target>',
  '<experiment id="E"><run id="R"><pcrFormat><rows>8</rows><columns>12</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>',
  '  <react id="1"><sample id="S1"/><data><tar id="IL6"/><cq>24.5</cq><adp><cyc>1</cyc><fluor>0.1</fluor></adp></data><data><tar id="GAPDH"/><cq>18.25</cq></data></react>',
  '  <react id="13"><sample id="S1"/><data><tar id="IL6"/><cq>-1</cq></data></react>',
  '  <react id="14"><sample id="N"/><data><tar id="IL6"/><cq>40.0</cq></data></react>',
  '  <rdml:react id="96"><rdml:sample id="STD"/><rdml:data><rdml:tar id="IL6"/><rdml:cq>100</rdml:cq><rdml:excl>pipetting error</rdml:excl></rdml:data></rdml:react>',
  '  <react id="2"><sample id="S1"/><data><tar id="IL6"/><cq>abc</cq></data></react>',
  '</run></experiment></rdml>',
].join('\n');

test('bare RDML XML: positions from pcrFormat, sentinels -1/40/100, excl, ref targets, react lines', () => {
  const r = importPlate(XML, 'run.xml');
  const p = r.plate!;
  assert.equal(p.format, 'rdml');
  assert.deepEqual(p.wells.map((w) => [w.position, w.target, w.cq, w.noCq ?? null, w.task, w.line]), [
    ['A1', 'IL6', 24.5, null, 'unknown', 6],
    ['A1', 'GAPDH', 18.25, null, 'reference', 6],
    ['B1', 'IL6', null, 'sentinel', 'unknown', 7],
    ['B2', 'IL6', null, 'sentinel', 'ntc', 8],
    ['H12', 'IL6', null, 'sentinel', 'standard', 9],
    ['A2', 'IL6', null, null, 'unknown', 10],
  ]);
  assert.deepEqual([p.wells[4].omitted, p.wells[4].flags, p.wells[4].quantity], [true, ['EXCL:PIPETTING ERROR'], 1000]);
  assert.deepEqual(p.wells[0].ranges.row, { start: { line: 6, character: 2 }, end: { line: 6, character: 16 } });
  // 40 is plausible as a Cq: reported; -1 and 100 are not.
  const s = r.diagnostics.filter((d) => d.code === 'cq-sentinel-plausible');
  assert.equal(s.length, 1);
  assert.equal(s[0].severity, 'warning');
  assert.equal(s[0].range.start.line, 8);
  const u = r.diagnostics.find((d) => d.code === 'cq-unparseable')!;
  assert.deepEqual([u.severity, u.range.start.line], ['error', 10]);
  // The NTC with the 40 sentinel is not reported as amplified.
  assert.deepEqual(runQc(p, DEFAULT_QC, XML).filter((d) => d.code === 'ntc-amplified'), []);
});

test('RDML zip with a non-standard XML member name (as Bio-Rad writes) and broken containers', () => {
  const zip = zipSync({ 'BioRad_qPCR_melt.xml': strToU8(XML), 'other.txt': strToU8('x') });
  const r = importPlate(zip, 'biorad.rdml');
  assert.equal(r.plate!.wells.length, 6);
  assert.ok(r.plate!.wells.every((w) => w.line === 0));
  assert.equal(r.plate!.wells[0].ranges.row, undefined);
  assert.ok(r.diagnostics.some((d) => d.code === 'rdml-member-name' && d.severity === 'info'));
  const std = importPlate(zipSync({ 'rdml_data.xml': strToU8(XML) }), 'ok.rdml');
  assert.equal(std.plate!.meta['RDML member'], 'rdml_data.xml');
  const none = importPlate(zipSync({ 'readme.txt': strToU8('hi') }), 'x.rdml');
  assert.equal(none.plate, null);
  assert.match(none.diagnostics[0].message, /no RDML XML member \(members: readme\.txt\)/);
  const broken = zip.slice(0, 40);
  const b = importPlate(broken, 'x.rdml');
  assert.equal(b.plate, null);
  assert.equal(b.diagnostics[0].code, 'rdml-container');
  const bad = importPlate('<rdml version="1.2"><experiment', 'x.rdml');
  assert.equal(bad.plate, null);
  assert.equal(bad.diagnostics[0].severity, 'error');
});
