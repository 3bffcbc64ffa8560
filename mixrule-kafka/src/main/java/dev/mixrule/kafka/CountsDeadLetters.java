package dev.mixrule.kafka;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@code @Incoming} method taking a {@code ConsumerRecord}: every record it throws on (and that the
 * connector's failure strategy therefore sends to mixrule-dead-letter) is counted by topic and reason
 * ({@link DeadLetterCounting}).
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CountsDeadLetters {}
