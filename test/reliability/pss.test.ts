/**
 * The Pod Security Standards checker (test/helpers/pss.ts) is itself tested: a compliant pod
 * passes; for every control of baseline and restricted, a pod that breaks only that control
 * fails with exactly that control — in every container list, with the pod/container
 * precedence and the Windows exemptions of the standard. Then security-context (restricted,
 * enforce) is judged by it: every repairable violation is repaired, every other one is
 * reported as an error.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { objectsOf } from '../helpers/objects.js';
import { BASELINE_CONTROLS, checkPod, RESTRICTED_ONLY_CONTROLS, type PssControl } from '../helpers/pss.js';
import { transform } from '../helpers/transform.js';

type Json = Record<string, unknown>;

/** A pod that satisfies restricted: the starting point every violation changes one thing of. */
function compliantPod(): { metadata: Json; spec: Json } {
  const container = (name: string): Json => ({
    name,
    image: 'nginx',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
  });
  return {
    metadata: { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { type: 'container_t' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] },
      containers: [container('app')],
      initContainers: [container('init')],
      ephemeralContainers: [container('debug')],
      volumes: [{ name: 'c', configMap: { name: 'c' } }, { name: 'e', emptyDir: {} }, { name: 'p', persistentVolumeClaim: { claimName: 'p' } }],
    },
  };
}

type Edit = (pod: { metadata: Json; spec: Json }) => void;
const sc = (pod: { spec: Json }, list = 'containers'): Json => ((pod.spec[list] as Json[])[0] as Json).securityContext as Json;
const podSc = (pod: { spec: Json }): Json => pod.spec.securityContext as Json;

/** One violation per control (and per container list where the control is per container). */
const VIOLATIONS: { control: PssControl; what: string; edit: Edit; repairable: boolean; alsoBreaks?: PssControl }[] = [
  { control: 'HostProcess', what: 'pod windowsOptions.hostProcess', edit: (p) => void (podSc(p).windowsOptions = { hostProcess: true }), repairable: true },
  { control: 'HostProcess', what: 'ephemeral container hostProcess', edit: (p) => void (sc(p, 'ephemeralContainers').windowsOptions = { hostProcess: true }), repairable: true },
  { control: 'Host Namespaces', what: 'hostNetwork', edit: (p) => void (p.spec.hostNetwork = true), repairable: true },
  { control: 'Host Namespaces', what: 'hostPID', edit: (p) => void (p.spec.hostPID = true), repairable: true },
  { control: 'Host Namespaces', what: 'hostIPC', edit: (p) => void (p.spec.hostIPC = true), repairable: true },
  { control: 'Privileged Containers', what: 'privileged init container', edit: (p) => void (sc(p, 'initContainers').privileged = true), repairable: true },
  { control: 'Capabilities', what: 'SYS_ADMIN added', edit: (p) => void ((sc(p).capabilities as Json).add = ['SYS_ADMIN']), repairable: true },
  // hostPath is also outside the volume types restricted allows.
  { control: 'HostPath Volumes', what: 'a hostPath volume', edit: (p) => void (p.spec.volumes as Json[]).push({ name: 'h', hostPath: { path: '/' } }), repairable: false, alsoBreaks: 'Volume Types' },
  { control: 'Host Ports', what: 'a hostPort', edit: (p) => void (((p.spec.containers as Json[])[0] as Json).ports = [{ containerPort: 80, hostPort: 80 }]), repairable: false },
  { control: 'AppArmor', what: 'pod appArmorProfile Unconfined', edit: (p) => void (podSc(p).appArmorProfile = { type: 'Unconfined' }), repairable: true },
  { control: 'AppArmor', what: 'container appArmorProfile Unconfined', edit: (p) => void (sc(p).appArmorProfile = { type: 'Unconfined' }), repairable: true },
  { control: 'AppArmor', what: 'legacy annotation unconfined', edit: (p) => void ((p.metadata.annotations as Json)['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'), repairable: true },
  { control: 'SELinux', what: 'type spc_t', edit: (p) => void (podSc(p).seLinuxOptions = { type: 'spc_t' }), repairable: false },
  { control: 'SELinux', what: 'a container SELinux user', edit: (p) => void (sc(p, 'initContainers').seLinuxOptions = { user: 'system_u' }), repairable: false },
  { control: 'SELinux', what: 'a SELinux role', edit: (p) => void (podSc(p).seLinuxOptions = { role: 'system_r' }), repairable: false },
  { control: '/proc Mount Type', what: 'procMount Unmasked', edit: (p) => void (sc(p).procMount = 'Unmasked'), repairable: true },
  { control: 'Seccomp', what: 'container Unconfined', edit: (p) => void (sc(p, 'ephemeralContainers').seccompProfile = { type: 'Unconfined' }), repairable: true },
  { control: 'Sysctls', what: 'an unsafe sysctl', edit: (p) => void (podSc(p).sysctls = [{ name: 'kernel.msgmax', value: '1' }]), repairable: false },
  { control: 'Volume Types', what: 'a gitRepo volume', edit: (p) => void (p.spec.volumes as Json[]).push({ name: 'g', gitRepo: { repository: 'x' } }), repairable: false },
  { control: 'Privilege Escalation', what: 'allowPrivilegeEscalation unset', edit: (p) => void delete sc(p, 'initContainers').allowPrivilegeEscalation, repairable: true },
  { control: 'Privilege Escalation', what: 'allowPrivilegeEscalation true', edit: (p) => void (sc(p).allowPrivilegeEscalation = true), repairable: true },
  { control: 'Running as Non-root', what: 'pod runAsNonRoot false', edit: (p) => void (podSc(p).runAsNonRoot = false), repairable: true },
  { control: 'Running as Non-root', what: 'container runAsNonRoot false overrides the pod', edit: (p) => void (sc(p).runAsNonRoot = false), repairable: true },
  { control: 'Running as Non-root', what: 'unset everywhere', edit: (p) => void delete podSc(p).runAsNonRoot, repairable: true },
  { control: 'Running as Non-root user', what: 'pod runAsUser 0', edit: (p) => void (podSc(p).runAsUser = 0), repairable: true },
  { control: 'Running as Non-root user', what: 'container runAsUser 0', edit: (p) => void (sc(p, 'initContainers').runAsUser = 0), repairable: true },
  { control: 'Seccomp (restricted)', what: 'unset at pod and container', edit: (p) => void delete podSc(p).seccompProfile, repairable: true },
  { control: 'Capabilities (restricted)', what: 'ALL not dropped', edit: (p) => void ((sc(p, 'ephemeralContainers').capabilities as Json).drop = ['NET_RAW']), repairable: true },
  { control: 'Capabilities (restricted)', what: 'CHOWN added (baseline allows it)', edit: (p) => void ((sc(p).capabilities as Json).add = ['CHOWN']), repairable: true },
];

function violating(edit: Edit): { metadata: Json; spec: Json } {
  const pod = compliantPod();
  edit(pod);
  return pod;
}

describe('the PSS checker', () => {
  it('passes a pod that satisfies restricted', () => {
    const pod = compliantPod();
    expect(checkPod(pod.metadata, pod.spec, 'restricted')).toEqual([]);
    expect(checkPod(pod.metadata, pod.spec, 'baseline')).toEqual([]);
  });

  it('has a violating case for every control of baseline and restricted', () => {
    const covered = new Set(VIOLATIONS.map((violation) => violation.control));
    for (const control of [...BASELINE_CONTROLS, ...RESTRICTED_ONLY_CONTROLS]) expect(covered).toContain(control);
  });

  it.each(VIOLATIONS)('catches $control: $what', ({ control, edit, alsoBreaks }) => {
    const pod = violating(edit);
    const found = checkPod(pod.metadata, pod.spec, 'restricted');
    expect(found.map((violation) => violation.control)).toContain(control);
    // The edit breaks only this control (Seccomp counts once at each level it applies to).
    const expected = [control, ...(alsoBreaks ? [alsoBreaks] : [])].map((name) => name.replace(' (restricted)', ''));
    expect(new Set(found.map((violation) => violation.control.replace(' (restricted)', '')))).toEqual(new Set(expected));
    const baselineOnly = BASELINE_CONTROLS.includes(control);
    expect(checkPod(pod.metadata, pod.spec, 'baseline').length > 0).toBe(baselineOnly);
  });

  it('lets a container leave runAsNonRoot and seccompProfile undefined when the pod sets them, but not the other way round', () => {
    const pod = compliantPod();
    expect(checkPod(pod.metadata, pod.spec, 'restricted')).toEqual([]);
    delete podSc(pod).runAsNonRoot;
    delete podSc(pod).seccompProfile;
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) Object.assign(sc(pod, list), { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'x' } });
    expect(checkPod(pod.metadata, pod.spec, 'restricted')).toEqual([]);
    delete sc(pod, 'ephemeralContainers').seccompProfile;
    expect(checkPod(pod.metadata, pod.spec, 'restricted').map((v) => v.field)).toEqual(['spec.ephemeralContainers[0].securityContext.seccompProfile.type']);
  });

  it('exempts Windows pods from Privilege Escalation, Seccomp and Capabilities under restricted, but not from the rest', () => {
    const windows = { metadata: {}, spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w', image: 'mcr.microsoft.com/windows/nanoserver' }] } };
    expect(checkPod(windows.metadata, windows.spec, 'restricted')).toEqual([]);
    const hostProcess = structuredClone(windows);
    Object.assign(hostProcess.spec.securityContext, { windowsOptions: { hostProcess: true } });
    expect(checkPod(hostProcess.metadata, hostProcess.spec, 'restricted').map((v) => v.control)).toEqual(['HostProcess']);
    const root = structuredClone(windows);
    root.spec.securityContext.runAsNonRoot = false;
    expect(checkPod(root.metadata, root.spec, 'restricted').map((v) => v.control)).toContain('Running as Non-root');
    const linux = { ...windows, spec: { ...windows.spec, os: { name: 'linux' } } };
    expect(checkPod(linux.metadata, linux.spec, 'restricted').map((v) => v.control)).toEqual(expect.arrayContaining(['Privilege Escalation', 'Seccomp (restricted)', 'Capabilities (restricted)']));
  });
});

describe('security-context (restricted, enforce) judged by the independent checker', () => {
  const config = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', profile: 'restricted', mode: 'enforce' };

  it.each(VIOLATIONS)('$control ($what): repairable $repairable → repaired, else reported as an error', ({ edit, repairable, control, alsoBreaks }) => {
    const pod = violating(edit);
    const input = stringify({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata, spec: pod.spec });
    const outcome = transform(input, config);
    const [out] = objectsOf(outcome.output) as [Json];
    const remaining = checkPod(out.metadata, out.spec, 'restricted');
    const errors = outcome.results.filter((result) => result.severity === 'error');
    if (repairable) {
      expect(remaining).toEqual([]);
      expect(errors).toEqual([]);
    } else {
      expect(new Set(remaining.map((violation) => violation.control))).toEqual(new Set([control, ...(alsoBreaks ? [alsoBreaks] : [])]));
      // Each remaining violation is named, field and all, by an error result.
      const errorFields = errors.map((result) => result.field?.path);
      for (const violation of remaining) expect(errorFields).toContain(violation.field);
    }
  });
});
