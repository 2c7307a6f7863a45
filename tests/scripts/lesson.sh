kubectl get nodes -o wide
kubectl -n kube-system get daemonsets -o wide
kubectl -n kube-system get pods -o wide -l k8s-app=kube-proxy
cat <<EOF | tee ~/environment/012-dev-system-namespace.yaml | kubectl apply -f -
apiVersion: v1
kind: Namespace
metadata:
  name: dev-system
EOF
sleep 60
cat <<EOF | tee ~/environment/013-demo-daemonset.yaml | kubectl -n dev-system apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: demo-daemon
  labels:
    app: demo-daemon
spec:
  # no "replicas" here: a DaemonSet runs one pod per eligible node
  selector:
    matchLabels:
      app: demo-daemon
  template:
    metadata:
      labels:
        app: demo-daemon
    spec:
      containers:
      - name: demo
        image: demo:1.0.0
EOF
sleep 60
kubectl -n dev-system get daemonsets -o wide
kubectl -n dev-system get pods -o wide
kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute
kubectl -n dev-system get pods -o wide
sleep 60
kubectl -n dev-system get pods -o wide
kubectl get node kind-worker3 -o jsonpath-as-json={.spec.taints[*]}
cat <<EOF | tee ~/environment/014-demo-daemonset.yaml | kubectl -n dev-system apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: demo-daemon
  labels:
    app: demo-daemon
spec:
  selector:
    matchLabels:
      app: demo-daemon
  template:
    metadata:
      labels:
        app: demo-daemon
    spec:
      tolerations:
      - key: VIPOnly
        operator: "Equal"
        value: "true"
        effect: NoExecute
      containers:
      - name: demo
        image: demo:1.0.0
EOF
sleep 60
kubectl -n dev-system get pods -o wide
kubectl -n dev-system get ds demo-daemon -o jsonpath-as-json={.spec.template.spec.tolerations}
kubectl describe node kind-control-plane | grep Taints
kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute-
kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute-
