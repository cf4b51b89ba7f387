// The benchmark workload: N apps, each a Deployment, Service, ConfigMap and Secret, rendered
// the way `helm template` prints them (`---`, then a `# Source:` comment).
// Usage: node bench/workload.mjs N > stream.yaml

/** @param {number} index */
function app(index) {
  const name = `app-${index}`;
  const labels = `app.kubernetes.io/name: ${name}\n    app.kubernetes.io/instance: release\n    helm.sh/chart: ${name}-1.0.0`;
  return `---
# Source: ${name}/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  labels:
    ${labels}
data:
  LOG_LEVEL: info
  config.yaml: |
    server:
      port: 8080
    # comments inside block scalars are data
---
# Source: ${name}/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: ${name}-secret
  labels:
    ${labels}
type: Opaque
data:
  password: c2VjcmV0
---
# Source: ${name}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/instance: release
---
# Source: ${name}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    ${labels}
    app.kubernetes.io/version: "1.0.0"
spec:
  replicas: 3 # scaled by the HPA in production
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
      app.kubernetes.io/instance: release
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/instance: release
    spec:
      serviceAccountName: ${name}
      containers:
        - name: ${name}
          image: "registry.example.com/${name}:1.0.0"
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          envFrom:
            - configMapRef:
                name: ${name}-config
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef:
                  name: ${name}-config
                  key: LOG_LEVEL
            - name: PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${name}-secret
                  key: password
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
`;
}

/** @param {number} apps @returns {string} */
export function workload(apps) {
  let out = '';
  for (let i = 0; i < apps; i++) out += app(i);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(workload(Number(process.argv[2] ?? 1)));
}
