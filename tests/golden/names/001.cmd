echo '10.1.2.3 a-very-long-host-name-that-goes-on.example.test' >> /etc/hosts
