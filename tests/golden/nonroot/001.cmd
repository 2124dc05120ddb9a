echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
