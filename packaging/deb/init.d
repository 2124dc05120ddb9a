#!/bin/sh
# /etc/init.d/ipvsadm: the same commands as ipvsadm.service, for hosts
# without systemd (on a host with systemd, init-functions hands them to
# systemctl). The work is done by /usr/lib/ipvsadm/ipvsadm-rules.
### BEGIN INIT INFO
# Provides:          ipvsadm
# Required-Start:    $network $remote_fs
# Required-Stop:     $network $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: IPVS table and connection sync daemons
# Description:       Loads /etc/ipvsadm.rules into the IPVS table when
#                    /etc/default/ipvsadm sets AUTO to true, and runs the
#                    connection sync daemons it asks for.
### END INIT INFO

[ -x /usr/lib/ipvsadm/ipvsadm-rules ] || exit 0
if [ -r /lib/lsb/init-functions ]; then
    . /lib/lsb/init-functions
fi

case "${1:-}" in
    start | stop | restart | reload | force-reload | save | status)
        exec /usr/lib/ipvsadm/ipvsadm-rules "$1"
        ;;
    *)
        echo "usage: $0 {start|stop|restart|reload|force-reload|save|status}" >&2
        exit 3
        ;;
esac
