// Starting points for "ColonyOS: New Function Spec" / "New Workflow": they run as is on the local colony
// (executor type `echo` answers on the `chat` channel; `worker` runs workflow steps such as `echo` and `upper`).

export const FUNCSPEC_TEMPLATE_NAME = 'chat.colonyos.json';
export const WORKFLOW_TEMPLATE_NAME = 'pipeline.workflow.json';

export function funcSpecTemplate(): string {
  return `${JSON.stringify(
    {
      funcname: 'chat',
      args: [],
      kwargs: {},
      conditions: { colonyname: '', executortype: 'echo' },
      maxwaittime: -1,
      maxexectime: -1,
      maxretries: 0,
      priority: 0,
      label: '',
      channels: ['chat'],
    },
    null,
    2,
  )}\n`;
}

export function workflowTemplate(): string {
  return `${JSON.stringify(
    [
      {
        nodename: 'prepare',
        funcname: 'echo',
        args: ['hello'],
        conditions: { executortype: 'worker', dependencies: [] },
        maxexectime: -1,
      },
      {
        // No args: the worker works on the step's inputs, the outputs of its parents.
        nodename: 'report',
        funcname: 'upper',
        conditions: { executortype: 'worker', dependencies: ['prepare'] },
        maxexectime: -1,
      },
    ],
    null,
    2,
  )}\n`;
}

/**
 * The first of `name`, `stem-2.rest`, `stem-3.rest`, … that `taken` says is free (`chat.colonyos.json` →
 * `chat-2.colonyos.json`): the proposed name must not be one the file name box then refuses.
 */
export async function firstFreeName(name: string, taken: (candidate: string) => boolean | Promise<boolean>, limit = 1000): Promise<string> {
  if (!(await taken(name))) return name;
  const dot = name.indexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const rest = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; n <= limit; n++) {
    const candidate = `${stem}-${n}${rest}`;
    if (!(await taken(candidate))) return candidate;
  }
  return name;
}
