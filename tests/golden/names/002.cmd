echo '10.1.2.4 medium-name.example.test' >> /etc/hosts
