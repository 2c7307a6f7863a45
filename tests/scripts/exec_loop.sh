# Workshop ch 10 step 9 headless: the endless curl loop inside a pod waits through the host
# shell's pace and ends at the 60 s headless stream bound, as if Ctrl-C was pressed (README, Limits). Measured with: /usr/bin/time -f '%es %MKB' target/release/kubetutor shell --seed 1 < tests/scripts/exec_loop.sh
kubectl create deployment demo --image demo:1.0.0 --replicas 3
kubectl create deployment jumpbox --image nginx
cat <<X | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  clusterIP: 10.96.201.228
  selector:
    app: demo
  ports:
  - port: 80
X
sleep 30
kubectl get pods
kubectl exec deployment/jumpbox -- /bin/bash -c "while true; do curl http://demo.default.svc.cluster.local:80; sleep 0.25; done" > out.txt; echo "status $?"
grep -c 'Hello from' out.txt
tail -1 out.txt
kubectl get pods
