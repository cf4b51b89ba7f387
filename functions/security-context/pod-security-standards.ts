/**
 * Constants of the Kubernetes Pod Security Standards
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */

/** Capabilities the baseline profile allows a container to add. */
export const BASELINE_ALLOWED_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** The only capability restricted allows to be added (after dropping ALL). */
export const RESTRICTED_ALLOWED_CAPABILITIES = new Set(['NET_BIND_SERVICE']);

/** Volume types restricted allows. */
export const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** Sysctls baseline considers safe. */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const ALLOWED_SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** SELinux types baseline allows (`seLinuxOptions.type`); `user` and `role` must not be set. */
export const ALLOWED_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** The legacy per-container AppArmor annotation; allowed values are `runtime/default` and `localhost/*`. */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
