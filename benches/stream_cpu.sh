#!/bin/sh
# CPU the tutor uses while a line streams (issue 14): runs BINARY in a tmux pane and prints
# the CPU ticks (1/100 s, utime+stime of all its threads, from /proc) it used over 30 s of
# real time: idle at the prompt, during `sleep 30` at x1, during `kubectl get pods -w`.
#   cargo build --release && sh benches/stream_cpu.sh target/release/kubetutor
# Needs tmux and Linux's /proc.
BIN=$(readlink -f "${1:-target/release/kubetutor}")
S=kt-cpu-$$
D=$(mktemp -d)
tmux -L $S new-session -d -s t -x 100 -y 30 "'$BIN' --state-dir $D --learner cpu --fresh --seed 7"
sleep 3
PID=$(pgrep -f -- "^$BIN --state-dir $D" | head -1)
ticks() { awk '{print $14+$15}' /proc/$PID/stat; }
measure() { a=$(ticks); sleep 30; b=$(ticks); echo "$1: $((b-a)) ticks in 30 s"; }
measure "idle at the prompt"
tmux -L $S send-keys -t t -l "sleep 30"; tmux -L $S send-keys -t t Enter
measure "during sleep 30 (x1)"
sleep 3
tmux -L $S send-keys -t t -l "kubectl -n kube-system get pods -w"; tmux -L $S send-keys -t t Enter
measure "during kubectl -n kube-system get pods -w (x1)"
tmux -L $S send-keys -t t C-c
tmux -L $S send-keys -t t C-q
sleep 1
tmux -L $S kill-server 2>/dev/null
rm -rf "$D"
