import * as assert from 'node:assert/strict';
import { detectKind, kindFromFileName, kindFromValue } from '../../../src/specs/detect';
import { SCHEMA_IDS } from '../../../src/specs/schemaCheck';

describe('specs: detection', () => {
  it('by file name', () => {
    assert.equal(kindFromFileName('/w/chat.colonyos.json'), 'funcspec');
    assert.equal(kindFromFileName('C:\\w\\Train.FuncSpec.json'), 'funcspec');
    assert.equal(kindFromFileName('pipeline.workflow.json'), 'workflow');
    assert.equal(kindFromFileName('package.json'), undefined);
    assert.equal(kindFromFileName('colonyos.json.bak'), undefined);
  });

  it('by content', () => {
    assert.equal(kindFromValue({ funcname: 'x', conditions: {} }), 'funcspec');
    assert.equal(kindFromValue({ conditions: { executortype: 'echo' } }), 'funcspec');
    assert.equal(kindFromValue([{ funcname: 'a' }, { nodename: 'b', conditions: {} }]), 'workflow');
    assert.equal(kindFromValue({ colonyname: 'dev', functionspecs: [] }), 'workflow');
    assert.equal(kindFromValue({ name: 'pkg', version: '1.0.0' }), undefined);
    assert.equal(kindFromValue([1, 2]), undefined);
    assert.equal(kindFromValue([]), undefined);
    assert.equal(kindFromValue([{ funcname: 'a' }, { other: 1 }]), undefined);
    assert.equal(kindFromValue('funcname'), undefined);
  });

  it('by our "$schema" id, whatever the name or content', () => {
    assert.equal(kindFromValue({ $schema: SCHEMA_IDS.funcspec }), 'funcspec');
    assert.equal(detectKind('x.json', { $schema: SCHEMA_IDS.workflow, functionspecs: [] }), 'workflow');
    assert.equal(detectKind('x.workflow.json', { $schema: SCHEMA_IDS.funcspec }), 'funcspec');
    assert.equal(kindFromValue({ $schema: 'https://json.schemastore.org/package.json', name: 'x' }), undefined);
  });

  it('a spec-named file stays a spec when unparsable, but an array in it is a workflow', () => {
    assert.equal(detectKind('a.colonyos.json', undefined), 'funcspec');
    assert.equal(detectKind('a.colonyos.json', [{ funcname: 'x' }]), 'workflow');
    assert.equal(detectKind('a.colonyos.json', { functionspecs: [] }), 'workflow');
    assert.equal(detectKind('a.workflow.json', undefined), 'workflow');
    assert.equal(detectKind('data.json', { funcname: 'x' }), 'funcspec');
    assert.equal(detectKind('data.json', { rows: [] }), undefined);
  });
});
