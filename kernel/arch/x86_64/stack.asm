; stack.asm - arch_call_on_stack: run a function on another stack.
;
; For code that must not run on the stack it was called on: the guard-page
; test (a stack of its own that it overflows), later a thread's first run.
; The old frame pointer is saved on the old stack and RBP keeps pointing
; there, so a backtrace taken on the new stack walks back into the caller.
;
;   void arch_call_on_stack(uint64_t stack_top, void (*fn)(void *), void *arg);
;   in:  RDI = top of the new stack, RSI = fn, RDX = arg
;   out: whatever fn leaves; back on the caller's stack

bits 64
default rel

section .text
global arch_call_on_stack
arch_call_on_stack:
    push rbp
    mov rbp, rsp
    mov rsp, rdi
    and rsp, -16                    ; the SysV ABI: 16-byte aligned before the call
    mov rdi, rdx
    call rsi
    mov rsp, rbp
    pop rbp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
