{{- define "robust.config" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-glued
data:
  key: value
{{- end }}
{{- define "robust.deploy" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
{{- end }}
