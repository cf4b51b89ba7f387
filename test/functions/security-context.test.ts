/**
 * security-context: what each rule of the Pod Security Standards makes krmkit do to a pod
 * template — repair, default, or report what it cannot repair — and how the three modes
 * apply it; Windows pods, skipped containers, malformed input and config — and, as
 * properties, that every mode is idempotent, audit changes nothing and fill never changes a
 * value that is there, on generated streams and on the real corpora.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSecurityContextConfig, securityContextOptions } from '../../functions/security-context/config.js';
import { KrmConfigError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { stream } from '../helpers/arbitraries.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { expectInputError, thrownBy } from '../helpers/errors.js';
import { expectUnchangedDocumentsKeepTheirBytes } from '../helpers/invariants.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { checkObject } from '../helpers/pss.js';
import { transform } from '../helpers/transform.js';
import { idempotentRuns } from '../helpers/run-properties.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext' };
const RESTRICTED = { ...KIND, profile: 'restricted' };
const BASELINE = { ...KIND, profile: 'baseline' };
const ENFORCE = { ...RESTRICTED, mode: 'enforce' };
const AUDIT = { ...RESTRICTED, mode: 'audit' };

function config(options: Obj) {
  return parseSecurityContextConfig(readOwnOptions('security-context', 'SecurityContext', options, securityContextOptions));
}

/** A Deployment whose pod spec is `spec` (containers default to one named "app"). */
function deployment(spec: Obj = {}, templateMetadata: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { template: { metadata: templateMetadata, spec: { containers: [{ name: 'app', image: 'shop/api:2' }], ...spec } } },
  };
}

/** One container named "app" with the given fields. */
const withContainer = (fields: Obj, spec: Obj = {}): Obj => deployment({ containers: [{ name: 'app', image: 'shop/api:2', ...fields }], ...spec });

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

/** Runs the function on objects; returns the first object's pod spec, its containers and the results. */
function run(options: Obj, ...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), options);
  const output = objectsOf(outcome.output);
  const spec = (((output[0]!.spec as Obj).template as Obj).spec as Obj) ?? {};
  const container = (index = 0, list = 'containers'): Obj => (spec[list] as Obj[])[index]!;
  return {
    ...outcome,
    objects: output,
    spec,
    pod: (spec.securityContext as Obj | undefined) ?? {},
    container,
    containerContext: (index = 0, list = 'containers'): Obj => (container(index, list).securityContext as Obj | undefined) ?? {},
    /** `field: message` per result, the field relative to the pod spec. */
    findings: outcome.results.map((result) => `${(result.field?.path ?? '').replace('spec.template.spec.', '')}: ${result.message}`),
  };
}

describe('config', () => {
  it('defaults to restricted, fill, warnings in audit, no writable /tmp, no skipped containers, no IDs of its own', () => {
    expect(config(KIND)).toEqual({ profile: 'restricted', mode: 'fill', auditSeverity: 'warning', writableTmp: false, skipContainers: [] });
  });

  it('reads the ConfigMap form: numbers, booleans and lists as strings', () => {
    const parsed = config({ apiVersion: 'v1', kind: 'ConfigMap', data: { profile: 'baseline', mode: 'enforce', runAsUser: '10001', readOnlyRootFilesystem: 'true', skipContainers: 'istio-proxy, linkerd-proxy' } });
    expect(parsed).toMatchObject({ profile: 'baseline', mode: 'enforce', runAsUser: 10001, readOnlyRootFilesystem: true, skipContainers: ['istio-proxy', 'linkerd-proxy'] });
  });

  it.each([
    [{ profile: 'privileged' }, 'profile'],
    [{ mode: 'enforc' }, 'mode', 'did you mean "enforce"'],
    [{ runAsUser: -1 }, 'runAsUser'],
    [{ runAsUser: 'root' }, 'runAsUser'],
    [{ readOnlyRootFilesystem: 'yes please' }, 'readOnlyRootFilesystem'],
    [{ profil: 'baseline' }, 'profil', 'did you mean "profile"'],
  ])('rejects %j naming %s', (options, field, text?: string) => {
    const error = thrownBy(() => config({ ...KIND, ...options }));
    expect(error).toBeInstanceOf(KrmConfigError);
    expect((error as Error).message).toContain(field);
    if (text) expect((error as Error).message).toContain(text);
  });
});

describe('modes', () => {
  const privileged = withContainer({ securityContext: { privileged: true } });

  it('fill sets what is absent and leaves a non-compliant value in place, with a warning saying so', () => {
    const { containerContext, results } = run(RESTRICTED, privileged);
    expect(containerContext()).toEqual({ privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(results.map((result) => [result.severity, result.message])).toEqual([['warning', 'restricted: privileged must not be true (left as is: mode fill never overwrites)']]);
    expect(results[0]!.field).toEqual({ path: 'spec.template.spec.containers[0].securityContext.privileged', currentValue: true, proposedValue: false });
  });

  it('enforce overwrites the non-compliant value and reports nothing it repaired', () => {
    const { containerContext, results } = run(ENFORCE, privileged);
    expect(containerContext().privileged).toBe(false);
    expect(results).toEqual([]);
  });

  it('audit changes nothing and reports one result per violation, at the configured severity; defaults are no violation', () => {
    const input = streamOf(privileged);
    for (const severity of ['warning', 'error'] as const) {
      const { output, results } = transform(input, { ...AUDIT, auditSeverity: severity });
      expect(output).toBe(input);
      expect(results.map((result) => [result.severity, result.field?.path])).toEqual([
        [severity, 'spec.template.spec.securityContext.runAsNonRoot'],
        [severity, 'spec.template.spec.securityContext.seccompProfile'],
        [severity, 'spec.template.spec.containers[0].securityContext.privileged'],
        [severity, 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation'],
        [severity, 'spec.template.spec.containers[0].securityContext.capabilities.drop'],
      ]);
    }
  });

  it('fill warns and enforce fails, never silently, for what cannot be repaired', () => {
    const hostPath = deployment({ volumes: [{ name: 'root', hostPath: { path: '/' } }] });
    expect(run(RESTRICTED, hostPath).results.map((result) => [result.severity, result.message])).toEqual([['warning', 'restricted: hostPath volumes are not allowed (cannot be fixed automatically)']]);
    expect(run(ENFORCE, hostPath).results.map((result) => [result.severity, result.message])).toEqual([
      ['error', 'restricted: hostPath volumes are not allowed (cannot be fixed automatically; exclude the workload or change it)'],
    ]);
  });
});

describe('host access (both profiles)', () => {
  it.each(['hostNetwork', 'hostPID', 'hostIPC'])('%s: true becomes false', (field) => {
    for (const profile of [RESTRICTED, BASELINE]) {
      const { spec, findings } = run({ ...profile, mode: 'enforce' }, deployment({ [field]: true }));
      expect(spec[field]).toBe(false);
      expect(findings).toEqual([]);
    }
    expect(run(BASELINE, deployment({ [field]: true })).findings).toEqual([`${field}: baseline: ${field} must not be true (left as is: mode fill never overwrites)`]);
  });

  it('privileged, a Windows hostProcess (pod or container) and a procMount other than Default are switched off', () => {
    const input = withContainer({ securityContext: { privileged: true, procMount: 'Unmasked', windowsOptions: { hostProcess: true } } }, { securityContext: { windowsOptions: { hostProcess: true } } });
    const { pod, containerContext } = run({ ...BASELINE, mode: 'enforce' }, input);
    expect(pod).toEqual({ windowsOptions: { hostProcess: false } });
    expect(containerContext()).toEqual({ privileged: false, procMount: 'Default', windowsOptions: { hostProcess: false } });
  });

  it('leaves false, Default and absent values as they are under baseline', () => {
    const input = streamOf(withContainer({ securityContext: { privileged: false, procMount: 'Default' } }, { hostNetwork: false }));
    expect(transform(input, { ...BASELINE, mode: 'enforce' }).output).toBe(input);
  });

  it('reports a hostPort (clients reach the pod through it), not a containerPort or a hostPort of 0', () => {
    const { findings, container } = run({ ...BASELINE, mode: 'enforce' }, withContainer({ ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }, { containerPort: 443, hostPort: 443 }] }));
    expect(findings).toEqual(['containers[0].ports[2].hostPort: baseline: hostPort is not allowed (cannot be fixed automatically; exclude the workload or change it)']);
    expect((container().ports as Obj[])[2]).toEqual({ containerPort: 443, hostPort: 443 });
  });
});

describe('running as non-root (restricted)', () => {
  it('sets pod-level runAsNonRoot: true, and IDs 65532 where none is configured (a default, not a violation)', () => {
    const { pod, findings } = run(RESTRICTED, deployment());
    expect(pod).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(findings).toEqual([]);
    expect(run(AUDIT, deployment()).findings).not.toContainEqual(expect.stringContaining('defaults to 65532'));
  });

  it('needs no pod-level runAsNonRoot when every container says so, but does when one does not', () => {
    const both = deployment({ containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: true } }, { name: 'b', image: 'x', securityContext: { runAsNonRoot: true } }] });
    expect(run(RESTRICTED, both).pod.runAsNonRoot).toBeUndefined();
    const one = deployment({ containers: [{ name: 'a', image: 'x', securityContext: { runAsNonRoot: true } }, { name: 'b', image: 'x' }] });
    expect(run(RESTRICTED, one).pod.runAsNonRoot).toBe(true);
  });

  it('turns an explicit false into true, at the pod and in a container (whose own value would win)', () => {
    const { pod, containerContext } = run(ENFORCE, withContainer({ securityContext: { runAsNonRoot: false } }, { securityContext: { runAsNonRoot: false } }));
    expect(pod.runAsNonRoot).toBe(true);
    expect(containerContext().runAsNonRoot).toBe(true);
  });

  it('replaces runAsUser 0 with the configured UID, or 65532, at the pod and in a container', () => {
    const root = withContainer({ securityContext: { runAsUser: 0 } }, { securityContext: { runAsUser: 0 } });
    const byDefault = run(ENFORCE, root);
    expect([byDefault.pod.runAsUser, byDefault.containerContext().runAsUser]).toEqual([65532, 65532]);
    const configured = run({ ...ENFORCE, runAsUser: 1001 }, root);
    expect([configured.pod.runAsUser, configured.containerContext().runAsUser]).toEqual([1001, 1001]);
    expect(run(AUDIT, root).findings).toEqual(expect.arrayContaining(['securityContext.runAsUser: restricted: runAsUser must not be 0', 'containers[0].securityContext.runAsUser: restricted: runAsUser must not be 0']));
  });

  it('keeps a chart\'s own IDs in fill; sets configured IDs where absent in fill and everywhere in enforce', () => {
    const own = deployment({ securityContext: { runAsUser: 999, runAsGroup: 999 } });
    expect(run(RESTRICTED, own).pod).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 65532 });
    const ids = { runAsUser: 10001, runAsGroup: 10002, fsGroup: 10003 };
    expect(run({ ...RESTRICTED, ...ids }, own).pod).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 10003 });
    expect(run({ ...ENFORCE, ...ids }, own).pod).toMatchObject(ids);
  });

  it('is no rule of baseline: no runAsNonRoot and no IDs unless configured', () => {
    expect(run(BASELINE, deployment()).pod).toEqual({});
    expect(run({ ...BASELINE, fsGroup: 2000 }, deployment()).pod).toEqual({ fsGroup: 2000 });
    const input = streamOf(withContainer({ securityContext: { runAsNonRoot: false, runAsUser: 0 } }));
    expect(transform(input, { ...BASELINE, mode: 'enforce' }).output).toBe(input);
  });
});

describe('seccomp', () => {
  it('restricted: an absent pod profile becomes RuntimeDefault, unless every container has an allowed one of its own', () => {
    expect(run(RESTRICTED, deployment()).pod.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    const own = deployment({ containers: [{ name: 'a', image: 'x', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }] });
    expect(run(RESTRICTED, own).pod.seccompProfile).toBeUndefined();
  });

  it('restricted: Localhost at the pod is kept', () => {
    const input = deployment({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } });
    expect(run(ENFORCE, input).pod.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'p.json' });
  });

  it('both profiles: Unconfined becomes RuntimeDefault, at the pod and in a container (whose own value would win)', () => {
    const input = withContainer({ securityContext: { seccompProfile: { type: 'Unconfined' } } }, { securityContext: { seccompProfile: { type: 'Unconfined' } } });
    for (const profile of [BASELINE, RESTRICTED]) {
      const { pod, containerContext } = run({ ...profile, mode: 'enforce' }, input);
      expect(pod.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(containerContext().seccompProfile).toEqual({ type: 'RuntimeDefault' });
    }
  });

  it('baseline: an absent profile stays absent', () => {
    expect(run({ ...BASELINE, mode: 'enforce' }, deployment()).pod.seccompProfile).toBeUndefined();
  });
});

describe('AppArmor (both profiles)', () => {
  it('Unconfined becomes RuntimeDefault, at the pod and in a container', () => {
    const input = withContainer({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }, { securityContext: { appArmorProfile: { type: 'Unconfined' } } });
    const { pod, containerContext } = run({ ...BASELINE, mode: 'enforce' }, input);
    expect(pod.appArmorProfile).toEqual({ type: 'RuntimeDefault' });
    expect(containerContext().appArmorProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('the legacy annotation may only say runtime/default or localhost/…; anything else becomes runtime/default', () => {
    const prefix = 'container.apparmor.security.beta.kubernetes.io/';
    const annotations = { [`${prefix}a`]: 'unconfined', [`${prefix}b`]: 'localhost/mine', [`${prefix}c`]: 'runtime/default', other: 'unconfined' };
    const outcome = transform(streamOf(deployment({}, { annotations })), { ...BASELINE, mode: 'enforce' });
    const template = (objectsOf(outcome.output)[0]!.spec as Obj).template as Obj;
    expect((template.metadata as Obj).annotations).toEqual({ ...annotations, [`${prefix}a`]: 'runtime/default' });
  });
});

describe('what cannot be repaired: SELinux, volumes, sysctls, probe hosts', () => {
  const messages = (options: Obj, object: Obj): string[] => run({ ...options, mode: 'audit' }, object).findings;

  it('SELinux: a type outside the allowed list, a user or a role, at the pod or in a container', () => {
    const input = withContainer({ securityContext: { seLinuxOptions: { user: 'system_u', type: 'container_t' } } }, { securityContext: { seLinuxOptions: { type: 'spc_t', role: 'system_r', level: 's0:c1' } } });
    expect(messages(BASELINE, input)).toEqual([
      'securityContext.seLinuxOptions.type: baseline: SELinux type spc_t is not allowed',
      'securityContext.seLinuxOptions.role: baseline: SELinux role must not be set',
      'containers[0].securityContext.seLinuxOptions.user: baseline: SELinux user must not be set',
    ]);
  });

  it('volumes: hostPath under both profiles; under restricted only the listed types', () => {
    const volumes = [{ name: 'h', hostPath: { path: '/var/run' } }, { name: 'n', nfs: { server: 's', path: '/' } }, { name: 'c', configMap: { name: 'c' } }, { name: 'e', emptyDir: {} }];
    expect(messages(BASELINE, deployment({ volumes }))).toEqual(['volumes[0].hostPath: baseline: hostPath volumes are not allowed']);
    expect(messages(RESTRICTED, deployment({ volumes }))).toEqual(expect.arrayContaining(['volumes[0].hostPath: restricted: hostPath volumes are not allowed', 'volumes[1].nfs: restricted: volume type nfs is not allowed']));
    expect(messages(RESTRICTED, deployment({ volumes })).filter((message) => message.startsWith('volumes'))).toHaveLength(2);
  });

  it('sysctls: only the safe ones', () => {
    const sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'kernel.msgmax', value: '65536' }];
    expect(messages(BASELINE, deployment({ securityContext: { sysctls } }))).toEqual(['securityContext.sysctls[1].name: baseline: sysctl kernel.msgmax is not allowed']);
  });

  it('probes and lifecycle handlers: no host in httpGet or tcpSocket', () => {
    const input = withContainer({
      livenessProbe: { httpGet: { path: '/', port: 80, host: '10.0.0.1' } },
      readinessProbe: { tcpSocket: { port: 80, host: '' } },
      lifecycle: { preStop: { tcpSocket: { port: 80, host: 'db' } } },
    });
    expect(messages(BASELINE, input)).toEqual([
      'containers[0].livenessProbe.httpGet.host: baseline: probe or lifecycle host must not be set (10.0.0.1)',
      'containers[0].lifecycle.preStop.tcpSocket.host: baseline: probe or lifecycle host must not be set (db)',
    ]);
  });

  it('enforce leaves each of them as it was', () => {
    const input = streamOf(withContainer({ livenessProbe: { httpGet: { port: 80, host: 'x' } }, securityContext: { seLinuxOptions: { type: 'spc_t' } } }, { volumes: [{ name: 'h', hostPath: { path: '/' } }] }));
    const { output, results } = transform(input, { ...BASELINE, mode: 'enforce' });
    expect(output).toBe(input);
    expect(results.map((result) => result.severity)).toEqual(['error', 'error', 'error']);
  });
});

describe('capabilities and privilege escalation', () => {
  it('restricted: allowPrivilegeEscalation false, and ALL in drop — appended to a list that lacks it', () => {
    const input = deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'] } } }] });
    const { containerContext } = run(ENFORCE, input);
    expect(containerContext(0)).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(containerContext(1)).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW', 'ALL'] } });
  });

  it('removes from add what the profile does not allow, with or without CAP_, and names what it removed', () => {
    const add = ['NET_BIND_SERVICE', 'CAP_CHOWN', 'SYS_ADMIN', 'CAP_NET_RAW'];
    const input = withContainer({ securityContext: { capabilities: { add, drop: ['ALL'] } } });
    const baseline = run({ ...BASELINE, mode: 'enforce' }, input);
    expect((baseline.containerContext().capabilities as Obj).add).toEqual(['NET_BIND_SERVICE', 'CAP_CHOWN']);
    const restricted = run(AUDIT, input);
    expect(restricted.findings).toContain('containers[0].securityContext.capabilities.add: restricted: capabilities CAP_CHOWN, SYS_ADMIN, CAP_NET_RAW may not be added');
    expect((run(ENFORCE, input).containerContext().capabilities as Obj).add).toEqual(['NET_BIND_SERVICE']);
  });

  it('baseline: no allowPrivilegeEscalation and no drop', () => {
    expect(run({ ...BASELINE, mode: 'enforce' }, deployment()).containerContext()).toEqual({});
  });
});

describe('read-only root filesystem and a writable /tmp (options, no rule)', () => {
  it('readOnlyRootFilesystem is set where absent in fill, everywhere in enforce, and never reported as a violation', () => {
    const input = deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', securityContext: { readOnlyRootFilesystem: false } }] });
    const fill = run({ ...BASELINE, readOnlyRootFilesystem: true }, input);
    expect([fill.containerContext(0).readOnlyRootFilesystem, fill.containerContext(1).readOnlyRootFilesystem]).toEqual([true, false]);
    expect(fill.results).toEqual([]);
    const enforce = run({ ...BASELINE, mode: 'enforce', readOnlyRootFilesystem: true }, input);
    expect([enforce.containerContext(0).readOnlyRootFilesystem, enforce.containerContext(1).readOnlyRootFilesystem]).toEqual([true, true]);
  });

  it('writableTmp mounts an emptyDir at /tmp in containers whose root filesystem ends up read-only', () => {
    const input = deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', securityContext: { readOnlyRootFilesystem: false } }] });
    const { spec, container } = run({ ...BASELINE, readOnlyRootFilesystem: true, writableTmp: true }, input);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container(0).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(container(1).volumeMounts).toBeUndefined();
  });

  it('writableTmp leaves a container with something at /tmp alone, reuses an emptyDir named tmp, and avoids a clash with another volume named tmp', () => {
    const mounted = withContainer({ securityContext: { readOnlyRootFilesystem: true }, volumeMounts: [{ name: 'scratch', mountPath: '/tmp/' }] }, { volumes: [{ name: 'scratch', emptyDir: {} }] });
    const input = streamOf(mounted);
    expect(transform(input, { ...BASELINE, writableTmp: true }).output).toBe(input);
    const reused = run({ ...BASELINE, writableTmp: true, readOnlyRootFilesystem: true }, deployment({ volumes: [{ name: 'tmp', emptyDir: {} }] }));
    expect(reused.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(reused.container().volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    const clash = run({ ...BASELINE, writableTmp: true, readOnlyRootFilesystem: true }, deployment({ volumes: [{ name: 'tmp', configMap: { name: 'tmp' } }] }));
    expect(clash.spec.volumes).toEqual([{ name: 'tmp', configMap: { name: 'tmp' } }, { name: 'krmkit-tmp', emptyDir: {} }]);
  });

  it('writableTmp does nothing in audit mode', () => {
    const input = streamOf(withContainer({ securityContext: { readOnlyRootFilesystem: true } }));
    expect(transform(input, { ...AUDIT, writableTmp: true }).output).toBe(input);
  });
});

describe('Windows pods, skipped and ephemeral containers', () => {
  it('a Windows pod gets no Linux-only field (seccomp, AppArmor, capabilities, privilege escalation, IDs, read-only root) — only runAsNonRoot', () => {
    const input = withContainer({ securityContext: { seccompProfile: { type: 'Unconfined' }, capabilities: { add: ['SYS_ADMIN'] } } }, { os: { name: 'windows' } });
    const { pod, containerContext, findings } = run({ ...ENFORCE, readOnlyRootFilesystem: true, writableTmp: true }, input);
    expect(pod).toEqual({ runAsNonRoot: true });
    expect(containerContext()).toEqual({ seccompProfile: { type: 'Unconfined' }, capabilities: { add: ['SYS_ADMIN'] } });
    expect(findings).toEqual([]);
  });

  it('skipContainers are left alone and do not count for the pod-level rules', () => {
    const input = deployment({ containers: [{ name: 'app', image: 'x', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }, { name: 'istio-proxy', image: 'y', securityContext: { privileged: true } }] });
    const { pod, containerContext, findings } = run({ ...ENFORCE, skipContainers: ['istio-proxy'] }, input);
    expect(containerContext(1)).toEqual({ privileged: true });
    expect(pod.runAsNonRoot).toBeUndefined();
    expect(pod.seccompProfile).toBeUndefined();
    expect(findings).toEqual([]);
  });

  it('hardens init and ephemeral containers like containers', () => {
    const { containerContext } = run(RESTRICTED, deployment({ initContainers: [{ name: 'init', image: 'x' }], ephemeralContainers: [{ name: 'debug', image: 'x' }] }));
    for (const list of ['initContainers', 'ephemeralContainers']) expect(containerContext(0, list), list).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });
});

describe('malformed input is refused with the field named', () => {
  it.each([
    [{ hostNetwork: 'true' }, 'spec.template.spec.hostNetwork'],
    [{ securityContext: { runAsNonRoot: 'yes' } }, 'spec.template.spec.securityContext.runAsNonRoot'],
    [{ securityContext: { runAsUser: 1.5 } }, 'spec.template.spec.securityContext.runAsUser'],
    [{ securityContext: { seccompProfile: { type: 'unconfined' } } }, 'spec.template.spec.securityContext.seccompProfile.type'],
    [{ securityContext: { windowsOptions: { hostProcess: 1 } } }, 'spec.template.spec.securityContext.windowsOptions.hostProcess'],
    [{ securityContext: 'restricted' }, 'spec.template.spec.securityContext'],
    [{ containers: [{ name: 'a', image: 'x', securityContext: { privileged: 'true' } }] }, 'spec.template.spec.containers[0].securityContext.privileged'],
    [{ containers: [{ name: 'a', image: 'x', securityContext: { procMount: 0 } }] }, 'spec.template.spec.containers[0].securityContext.procMount'],
    [{ containers: [{ name: 'a', image: 'x', securityContext: { appArmorProfile: { type: 'Unconfned' } } }] }, 'spec.template.spec.containers[0].securityContext.appArmorProfile.type'],
    [{ containers: [{ name: 'a', image: 'x', securityContext: { capabilities: { add: 'SYS_ADMIN' } } }] }, 'spec.template.spec.containers[0].securityContext.capabilities.add'],
    [{ containers: [{ name: 'a', image: 'x', livenessProbe: { httpGet: 'http://x/' } }] }, 'spec.template.spec.containers[0].livenessProbe.httpGet'],
  ])('%j at %s', (spec, field) => {
    expectInputError(() => transform(streamOf(deployment(spec)), RESTRICTED), field);
  });
});

// --- properties -------------------------------------------------------------------------

const MODES = [RESTRICTED, ENFORCE, AUDIT, { ...BASELINE, mode: 'enforce', readOnlyRootFilesystem: true, writableTmp: true }, { ...RESTRICTED, runAsUser: 1000, writableTmp: true, readOnlyRootFilesystem: true }];
const modeArb = fc.constantFrom(...MODES);

/** Every scalar of an object, as `path = value` (for "fill never changes a value that is there"). */
function scalars(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) for (const [inner, scalar] of scalars(entry, `${path}/${key}`)) out.set(inner, scalar);
  } else {
    out.set(path, value);
  }
  return out;
}

describe('properties', () => {
  const runs = Number(process.env.FC_RUNS ?? 100);

  it('is idempotent in every mode: twice gives the same bytes and results as once', () => {
    fc.assert(
      fc.property(stream, (text) => {
        for (const options of MODES) {
          const { once, twice } = idempotentRuns(text, options);
          expect(twice.results, JSON.stringify(options)).toEqual(once.results);
        }
      }),
      { numRuns: runs },
    );
  });

  it('audit changes no byte; fill changes no value that is there (writableTmp aside, it appends)', () => {
    fc.assert(
      fc.property(stream, (text) => {
        expect(transform(text, AUDIT).output).toBe(text);
        const before = objectsOf(text);
        const after = objectsOf(transform(text, RESTRICTED).output);
        expect(after).toHaveLength(before.length);
        before.forEach((object, index) => {
          const now = scalars(after[index]);
          for (const [path, value] of scalars(object)) expect(now.get(path), path).toEqual(value);
        });
      }),
      { numRuns: runs },
    );
  });

  it('touches nothing outside securityContext, except the AppArmor annotation and writableTmp\'s volumes', () => {
    fc.assert(
      fc.property(stream, modeArb, (text, options) => {
        const output = transform(text, options).output;
        const strip = (value: unknown): unknown => withoutPaths(value, (key) => ['securityContext', 'volumes', 'volumeMounts'].includes(key));
        expect(objectsOf(output).map(strip)).toEqual(objectsOf(text).map(strip));
        expectUnchangedDocumentsKeepTheirBytes(text, output);
      }),
      { numRuns: runs },
    );
  });

  // Windows pods are left out: the generator gives them pod-level Linux IDs (runAsUser: 0),
  // which the API server refuses for Windows pods and krmkit leaves alone there.
  it('enforce leaves no Pod Security Standard violation in a generated Linux pod (second opinion: test/helpers/pss.ts)', () => {
    const windows = (object: Obj): boolean => JSON.stringify(object).includes('"os":{"name":"windows"}');
    fc.assert(
      fc.property(stream, fc.constantFrom('restricted', 'baseline'), (text, profile) => {
        const output = transform(text, { ...KIND, profile, mode: 'enforce' }).output;
        for (const object of objectsOf(output).filter((entry) => !windows(entry))) expect(checkObject(object, profile as 'restricted' | 'baseline'), String(object.kind)).toEqual([]);
      }),
      { numRuns: runs },
    );
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  describe.each(corpora())('$name', ({ text }) => {
    it('restricted enforce: idempotent, objects outside securityContext unchanged, what is left of PSS violations reported as errors', () => {
      const once = transform(text, ENFORCE);
      expect(transform(once.output, ENFORCE).output).toBe(once.output);
      const strip = (value: unknown): unknown => withoutPaths(value, (key) => key === 'securityContext' || key.startsWith('container.apparmor.security.beta.kubernetes.io/'));
      expect(objectsOf(once.output).map(strip)).toEqual(objectsOf(text).map(strip));
      const errors = once.results.filter((result) => result.severity === 'error');
      for (const object of objectsOf(once.output)) {
        const violations = checkObject(object, 'restricted');
        const name = String((object.metadata as Obj | undefined)?.name);
        if (violations.length > 0) expect(errors.some((result) => result.resourceRef?.name === name && result.resourceRef?.kind === object.kind), `${String(object.kind)}/${name}`).toBe(true);
      }
    });

    it('audit changes no byte and names a field in every result', () => {
      const { output, results } = transform(text, AUDIT);
      expect(output).toBe(text);
      for (const result of results) expect(result.field?.path, result.message).toBeDefined();
    });
  });

  it('some corpus was not restricted-compliant (so the checks above can fail)', () => {
    const changed = corpora().filter(({ text }) => transform(text, ENFORCE).output !== text);
    expect(changed.length).toBeGreaterThan(0);
  });
});
