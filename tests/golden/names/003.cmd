echo 'fd00::1 v6-virtual-service-with-a-long-name.example.test' >> /etc/hosts
